package io.placewise.weighers;

import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.ParamSpec;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Prefers the least-loaded host: lowest CPU utilisation, then lowest memory utilisation (SPEC.md).
 * Its score is a utilisation with bounds of its own, which {@code fixed_bounds = true} declares to
 * the handler (Nova's minval/maxval; Nova's CPUWeigher declares minval 0): hosts at 50 % and 51 % CPU
 * then differ by 0.01 of its multiplier, not by all of it, and a near-tie in load no longer outweighs
 * a real difference another weigher sees. Off by default: the weights answers show today (and the
 * scenarios built on them) stay as they are until an operator chooses.
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

    static final String FIXED_BOUNDS = "fixed_bounds";

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.bool(FIXED_BOUNDS, false,
                "normalise over the score's own bounds (a full host 0, an idle one 1) instead of the candidates' spread,"
                        + " so a 1 % load difference weighs 1 % of the multiplier"));
    }

    /** A full host's score, 0, when the bounds are fixed. */
    @Override
    public OptionalDouble minval(PolicyParams params) {
        return params.getBoolean(FIXED_BOUNDS) ? OptionalDouble.of(0.0) : OptionalDouble.empty();
    }

    /** An idle host's score, 1 + MEMORY_TIE_BREAK, when the bounds are fixed. */
    @Override
    public OptionalDouble maxval(PolicyParams params) {
        return params.getBoolean(FIXED_BOUNDS) ? OptionalDouble.of(1.0 + MEMORY_TIE_BREAK) : OptionalDouble.empty();
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        return host -> (1.0 - host.cpuUtil()) + MEMORY_TIE_BREAK * (1.0 - host.memUtil());
    }
}
