package io.placewise.bridge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.bridge.config.BridgeConfig;
import io.placewise.bridge.ha.BalancerLeadership;
import io.placewise.bridge.ha.ChangeFeed;
import io.placewise.bridge.ha.SharedChanges;
import io.placewise.bridge.service.BalancerService;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.PolicyStore;
import java.util.Map;
import java.util.UUID;

/**
 * Several bridges on one PostgreSQL database (docs/ha.md): their changes are shared through the
 * {@link ChangeFeed} and one of them leads the balancer ({@link BalancerLeadership}). On H2 the
 * bridge is alone: nothing is shared and it leads from the start.
 */
final class HighAvailability implements AutoCloseable {
    private final BridgeConfig config;
    private final ChangeFeed feed;
    private volatile BalancerLeadership leadership;

    private HighAvailability(BridgeConfig config, ChangeFeed feed) {
        this.config = config;
        this.feed = feed;
    }

    /** Before the stores load their state: on PostgreSQL, starts listening to the other bridges' changes. */
    static HighAvailability open(BridgeConfig config) {
        boolean shared = config.databaseUrl().startsWith("jdbc:postgresql:");
        return new HighAvailability(config, shared ? ChangeFeed.open(config.databaseUrl(), config.databaseUser(),
                config.databasePassword()) : null);
    }

    /**
     * The stores announce their writes and apply the others'; the balancer competes for the leadership.
     * Exports {@code placewise_balancer_leader} (1 while {@code /healthz} says leader) and
     * {@code placewise_balancer_executes_plans}.
     */
    void share(ClusterStore cluster, PolicyStore policies, BalancerService balancer, MeterRegistry metrics) {
        SharedChanges changes = feed == null ? SharedChanges.NONE : feed;
        cluster.shareThrough(changes);
        policies.shareThrough(changes);
        balancer.shareThrough(changes);
        if (feed != null) {
            feed.start(change -> {
                if (change.hosts() == null || !change.hosts().isEmpty() || change.groups()) {
                    cluster.refresh(change.hosts(), change.groups());
                }
                if (change.policies() == null || !change.policies().isEmpty()) {
                    policies.reload(change.policies());
                }
                balancer.changedElsewhere(change);
            });
        }
        Gauge.builder("placewise.balancer.leader", balancer, b -> b.role().equals("leader") ? 1 : 0)
                .description("1 while this bridge leads the balancer (GET /healthz balancer = leader)").register(metrics);
        Gauge.builder("placewise.balancer.executes.plans", balancer, b -> b.executesPlans() ? 1 : 0)
                .description("1 while this bridge executes plans (it holds the balancer's leadership)").register(metrics);
        balancer.orderOnlyIf(() -> leadership != null && leadership.stillLeading());
        String instance = feed == null ? UUID.randomUUID().toString() : feed.instance();
        leadership = BalancerLeadership.start(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                feed != null, instance, balancer);
    }

    /** {@code GET /healthz}'s {@code balancer} field. */
    static Map<String, String> health(BalancerService balancer) {
        return Map.of("balancer", balancer.role());
    }

    @Override
    public void close() {
        if (leadership != null) {
            leadership.close();
        }
        if (feed != null) {
            feed.close();
        }
    }
}
