package io.placewise.bridge.console;

import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.scheduler.PolicySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live cluster's {@link ClusterLoads}, computed once per published snapshot and policy set: the
 * dashboard's polls and Prometheus' scrapes read the same columns instead of re-judging 10,000 hosts each.
 */
public final class ClusterLoadsService {
    private record Cached(ClusterSnapshot snapshot, PolicySet policies, ClusterLoads loads, long atNanos) {
    }

    private static final long STALENESS_REUSE_NANOS = 1_000_000_000L;
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final ClusterLoads.Staleness staleness;
    private final AtomicReference<Cached> cache = new AtomicReference<>();

    /** @param staleness null while the bridge does not judge staleness */
    public ClusterLoadsService(ClusterStore cluster, PolicyStore policies, ClusterLoads.Staleness staleness) {
        this.cluster = cluster;
        this.policies = policies;
        this.staleness = staleness;
    }

    public ClusterLoads current() {
        ClusterSnapshot s = cluster.current();
        PolicySet p = policies.current();
        Cached c = cache.get();
        // Snapshots and policy sets are immutable and replaced on change: identity says "unchanged".
        // Staleness changes with the clock alone, so a judgement of it is reused for a second at most.
        long now = System.nanoTime();
        if (c != null && c.snapshot() == s && c.policies() == p && (staleness == null || now - c.atNanos() < STALENESS_REUSE_NANOS)) {
            return c.loads();
        }
        ClusterLoads loads = ClusterLoads.of(s, policies.hotspotDetector(), staleness);
        cache.set(new Cached(s, p, loads, now));
        return loads;
    }
}
