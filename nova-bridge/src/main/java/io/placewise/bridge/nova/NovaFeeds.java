package io.placewise.bridge.nova;

import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.bridge.nova.notify.NovaNotificationHandler;
import io.placewise.bridge.nova.notify.NovaNotificationListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps the bridge's cluster current from Nova without an operator: the periodic sync
 * ({@code [nova] sync_interval_s}, needs Nova's API) and the notification listener
 * ({@code [nova] notification_transport_url}), both applying through one {@link NovaStateApplier}.
 */
public final class NovaFeeds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NovaFeeds.class);

    private final NovaStateApplier applier;
    private final NovaClusterSync sync;
    private final PeriodicNovaSync periodic;
    private final NovaNotificationListener listener;

    private NovaFeeds(NovaStateApplier applier, NovaClusterSync sync, PeriodicNovaSync periodic,
                      NovaNotificationListener listener) {
        this.applier = applier;
        this.sync = sync;
        this.periodic = periodic;
        this.listener = listener;
    }

    /** Builds and starts what {@code config} enables; {@code sync} is null without {@code [nova] auth_url}. */
    public static NovaFeeds start(NovaConfig config, NovaStateApplier applier, NovaClusterSync sync, MeterRegistry metrics) {
        PeriodicNovaSync periodic = null;
        if (sync != null && config.syncIntervalS() > 0) {
            periodic = new PeriodicNovaSync(applier, sync, Duration.ofSeconds(config.syncIntervalS()), metrics);
        } else if (config.syncIntervalS() > 0 && config.notificationsConfigured()) {
            LOG.warn("[nova] sync_interval_s is set but auth_url is not: no periodic sync, notifications only");
        }
        NovaNotificationListener listener = null;
        if (config.notificationsConfigured()) {
            listener = new NovaNotificationListener(config,
                    new NovaNotificationHandler(applier, sync == null ? null : sync.client(), metrics), metrics,
                    Duration.ofSeconds(1));
        }
        NovaFeeds feeds = new NovaFeeds(applier, sync, periodic, listener);
        if (listener != null) {
            listener.start();
        }
        if (periodic != null) {
            periodic.start();
        }
        return feeds;
    }

    /** Where Nova's changes are applied (the manual {@code POST /v1/cluster/sync} too). */
    public NovaStateApplier applier() {
        return applier;
    }

    /** Nova's API sync; null when {@code [nova] auth_url} is not set. */
    public NovaClusterSync sync() {
        return sync;
    }

    @Override
    public void close() {
        if (periodic != null) {
            periodic.close();
        }
        if (listener != null) {
            listener.close();
        }
    }
}
