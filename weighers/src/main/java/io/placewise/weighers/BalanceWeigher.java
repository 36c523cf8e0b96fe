package io.placewise.weighers;

import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;

/** Prefers the least-loaded host: lowest CPU utilisation, then lowest memory utilisation (SPEC.md). */
public final class BalanceWeigher implements HostWeigher {
    /**
     * Memory only breaks near-ties in CPU: a 0.001 difference in CPU outweighs any memory difference
     * once the handler normalises, which is as close to "CPU, then memory" as a sum of weights gets.
     */
    static final double MEMORY_TIE_BREAK = 1e-3;

    @Override
    public String description() {
        return "Prefers the least-loaded host: CPU, then memory";
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        return host -> (1.0 - host.cpuUtil()) + MEMORY_TIE_BREAK * (1.0 - host.memUtil());
    }
}
