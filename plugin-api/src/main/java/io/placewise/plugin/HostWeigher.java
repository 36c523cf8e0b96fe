package io.placewise.plugin;

import io.placewise.model.Host;
import java.util.OptionalDouble;

/**
 * A soft preference: a raw score per host, higher is better. The pipeline, not the weigher,
 * normalises the scores to [0, 1] over the candidates and applies the multiplier (Nova's rule). A
 * weigher whose scores have a natural scale declares it with {@link #minval} / {@link #maxval}
 * (Nova's attributes of those names): the handler then normalises with the declared bound instead
 * of the candidates' lowest / highest score, and a score beyond it counts as the bound.
 */
public interface HostWeigher extends Policy {

    /** The multiplier used when the configuration sets none. */
    default double defaultMultiplier() {
        return 1.0;
    }

    /**
     * The raw score that normalises to 0 whatever the candidates score, with these parameters; empty
     * (the default): the lowest score among them. Nova's is a class attribute; here a weigher may
     * let its configuration choose.
     */
    default OptionalDouble minval(PolicyParams params) {
        return OptionalDouble.empty();
    }

    /**
     * The raw score that normalises to 1 whatever the candidates score, with these parameters; empty
     * (the default): the highest score among them. With both bounds, a 1 % spread of scores stays a
     * 1 % spread of weights instead of being stretched to the whole [0, 1].
     */
    default OptionalDouble maxval(PolicyParams params) {
        return OptionalDouble.empty();
    }

    /** PreScore: called once per request; returns the per-host scorer. */
    HostScorer prepare(PlacementContext context, PolicyParams params);

    /** The per-host raw score of one request. */
    @FunctionalInterface
    interface HostScorer {
        double score(Host host);
    }
}
