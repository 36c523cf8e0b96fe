package io.placewise.plugin;

import io.placewise.model.Host;

/**
 * A soft preference: a raw score per host, higher is better. The pipeline, not the weigher,
 * normalises the scores to [0, 1] over the candidates and applies the multiplier (Nova's rule).
 */
public interface HostWeigher extends Policy {

    /** The multiplier used when the configuration sets none. */
    default double defaultMultiplier() {
        return 1.0;
    }

    /** PreScore: called once per request; returns the per-host scorer. */
    HostScorer prepare(PlacementContext context, PolicyParams params);

    /** The per-host raw score of one request. */
    @FunctionalInterface
    interface HostScorer {
        double score(Host host);
    }
}
