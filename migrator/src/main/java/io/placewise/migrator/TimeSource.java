package io.placewise.migrator;

import java.time.Duration;

/** Wall-clock time and waiting, separated so the migration monitor runs on virtual time in tests. */
public interface TimeSource {
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };

    long nowMillis();

    void sleep(Duration duration) throws InterruptedException;
}
