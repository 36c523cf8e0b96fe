package io.placewise.filters;

import io.placewise.model.ClusterSnapshot;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.time.Duration;

/**
 * Passes only hosts that are enabled and whose agent still reports (Nova's ComputeFilter: disabled
 * or down compute services get nothing). A stale host ({@code [cluster] stale_after_s}) passes only
 * with {@code [cluster] place_on_stale = true}. Runs once per request, as Nova's does: whether a host
 * is enabled and reporting does not change with the instances the request places.
 */
public final class ComputeFilter implements HostFilter {
    @Override
    public String description() {
        return "Passes only enabled hosts whose agent still reports (Nova's ComputeFilter)";
    }

    @Override
    public boolean runOncePerRequest() {
        return true;
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        ClusterSnapshot cluster = context.cluster();
        boolean staleAllowed = cluster.staleness().placeOnStale();
        return host -> {
            if (!host.enabled()) {
                return Verdict.reject("host is disabled");
            }
            if (!staleAllowed && cluster.isStale(host.name())) {
                long silent = Duration.between(cluster.lastSampleAt(host.name()), cluster.asOf()).toSeconds();
                return Verdict.reject("host is stale: no profiler sample for " + silent + " s (stale_after_s "
                        + cluster.staleness().after().toSeconds() + ", place_on_stale false)");
            }
            return Verdict.pass();
        };
    }
}
