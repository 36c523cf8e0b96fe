package io.placewise.migrator;

import java.time.Duration;

/** Virtual time: sleeping advances it, nothing waits. */
final class FakeClock implements TimeSource {
    private long now = 1_000_000;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        now += duration.toMillis();
    }
}
