package io.placewise.precopy;

/** A strategy chosen by {@link StrategyAdvisor}, why, and the model figures the choice rests on. */
public record StrategyAdvice(MigrationStrategy strategy, String reason, double barrierMbps,
                             PreCopyEstimate plainPreCopy) {
}
