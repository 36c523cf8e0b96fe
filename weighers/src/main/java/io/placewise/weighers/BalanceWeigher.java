package io.placewise.weighers;

import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import java.util.OptionalDouble;

/**
 * Prefers the least-loaded host: lowest CPU utilisation, then lowest memory utilisation (SPEC.md).
 * Its score is a utilisation, so it declares its bounds (Nova's minval/maxval, as Nova's CPUWeigher
 * declares minval 0): hosts at 50 % and 51 % CPU differ by 0.01 of its multiplier, not by all of it,
 * and a near-tie in load no longer outweighs a real difference another weigher sees.
 */
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

    /** An idle host's score is 1 + MEMORY_TIE_BREAK, a full one's 0. */
    @Override
    public OptionalDouble minval() {
        return OptionalDouble.of(0.0);
    }

    @Override
    public OptionalDouble maxval() {
        return OptionalDouble.of(1.0 + MEMORY_TIE_BREAK);
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        return host -> (1.0 - host.cpuUtil()) + MEMORY_TIE_BREAK * (1.0 - host.memUtil());
    }
}
