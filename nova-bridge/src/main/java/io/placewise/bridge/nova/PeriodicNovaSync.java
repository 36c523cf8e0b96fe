package io.placewise.bridge.nova;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the cluster from Nova's API every {@code [nova] sync_interval_s}, the first time at start-up
 * (Watcher's collector {@code period}). A failed sync changes nothing, is logged and counted, and
 * the next one runs on schedule.
 */
public final class PeriodicNovaSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicNovaSync.class);

    private final NovaStateApplier applier;
    private final NovaClusterSync sync;
    private final Duration interval;
    private final MeterRegistry metrics;
    private final Timer duration;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "placewise-nova-sync");
        t.setDaemon(true);
        return t;
    });

    public PeriodicNovaSync(NovaStateApplier applier, NovaClusterSync sync, Duration interval, MeterRegistry metrics) {
        this.applier = applier;
        this.sync = sync;
        this.interval = interval;
        this.metrics = metrics;
        this.duration = Timer.builder("placewise.nova.sync.duration").description("time of one sync from Nova's API")
                .register(metrics);
        Gauge.builder("placewise.nova.sync.last.success", lastSuccess, AtomicLong::get)
                .description("epoch seconds of the last successful sync from Nova (0: none yet)").register(metrics);
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Nova sync every {} s", interval.toSeconds());
    }

    /** One sync now; true when it succeeded. */
    public boolean runOnce() {
        long start = System.nanoTime();
        try {
            var after = applier.sync(sync::fetch);
            lastSuccess.set(System.currentTimeMillis() / 1000);
            metrics.counter("placewise.nova.syncs", "outcome", "ok").increment();
            LOG.debug("periodic Nova sync: {} hosts, {} VMs", after.hosts().size(), after.vms().size());
            return true;
        } catch (RuntimeException e) {
            metrics.counter("placewise.nova.syncs", "outcome", "failed").increment();
            LOG.warn("periodic Nova sync failed, nothing changed: {}", e.getMessage());
            return false;
        } finally {
            duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
