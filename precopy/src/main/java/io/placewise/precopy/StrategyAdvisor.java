package io.placewise.precopy;

import java.util.Locale;

/**
 * Chooses a live-migration strategy from the measured dirty rate, the migration bandwidth, the
 * memory size and whether the guest tolerates being slowed (seed 000 §3.2: generic vs
 * memory-intensive workloads; seed 003 §3 barrier and §4 throttling):
 * <ul>
 *   <li>p ≥ near·barrier (near default 0.8 of Eq. 5's p_max; this includes p ≥ B): plain pre-copy
 *   would not converge or would barely converge, so
 *   <ul>
 *     <li>{@code throttled} when the guest tolerates slowing and Eq. 9's floor can bring the dirty
 *     rate under near·barrier,</li>
 *     <li>{@code postcopy} otherwise (every page crosses at most twice, no slowdown, but a network
 *     failure during post-copy loses the VM, which is why throttling is preferred when allowed);</li>
 *   </ul></li>
 *   <li>below that, {@code precopy} when the model says plain pre-copy re-sends little (redundancy
 *   R = data/M at most {@code maxPlainRedundancy}, default 1.1): compression would spend CPU on
 *   both hosts to save almost nothing;</li>
 *   <li>otherwise {@code compressed}: XBZRLE shrinks the re-sent pages of a generic workload.</li>
 * </ul>
 */
public record StrategyAdvisor(double nearFraction, double maxPlainRedundancy, int maxRounds, double thresholdKib,
                              ThrottlePlan throttle) {
    public static final StrategyAdvisor DEFAULT = new StrategyAdvisor(0.8, 1.1, PreCopyInput.DEFAULT_MAX_ROUNDS,
            PreCopyInput.DEFAULT_THRESHOLD_KIB, ThrottlePlan.DEFAULT);

    public StrategyAdvisor {
        if (!(nearFraction > 0 && nearFraction <= 1)) {
            throw new IllegalArgumentException("near fraction must be in (0, 1], was " + nearFraction);
        }
        if (!(maxPlainRedundancy >= 1)) {
            throw new IllegalArgumentException("max plain redundancy must be >= 1, was " + maxPlainRedundancy);
        }
        if (throttle == null) {
            throw new IllegalArgumentException("throttle plan is required");
        }
    }

    public StrategyAdvisor withNearFraction(double fraction) {
        return new StrategyAdvisor(fraction, maxPlainRedundancy, maxRounds, thresholdKib, throttle);
    }

    /** The advice for a VM of {@code memoryMib} dirtying {@code dirtyRateMbps} over {@code bandwidthMbps}. */
    public StrategyAdvice advise(double dirtyRateMbps, double bandwidthMbps, double memoryMib,
                                 boolean toleratesSlowing) {
        PreCopyInput input = new PreCopyInput(memoryMib, bandwidthMbps, dirtyRateMbps, maxRounds, thresholdKib);
        PreCopyEstimate plain = PreCopyModel.estimate(input);
        double barrier = plain.barrierMbps();
        double near = nearFraction * barrier;
        String facts = String.format(Locale.ROOT, "dirty rate %.1f Mbit/s, barrier %.1f Mbit/s (B %.1f Mbit/s, M %.0f MiB)",
                dirtyRateMbps, barrier, bandwidthMbps, memoryMib);

        if (dirtyRateMbps >= near) {
            String why = String.format(Locale.ROOT, "%s: at or above %.0f %% of the barrier, plain pre-copy %s",
                    facts, nearFraction * 100, plain.converges()
                            ? String.format(Locale.ROOT, "needs %d rounds and %.1f s", plain.rounds(), plain.totalS())
                            : String.format(Locale.ROOT, "does not converge (downtime %.2f s)", plain.downtimeS()));
            if (toleratesSlowing) {
                double atFloor = throttle.dirtyRateAtFloor(dirtyRateMbps, 100);
                if (atFloor < near) {
                    return new StrategyAdvice(MigrationStrategy.THROTTLED, why + String.format(Locale.ROOT,
                            "; the guest tolerates slowing, so throttle its CPU per round (Eq. 9, C %.2f, floor %.0f %%)",
                            throttle.expectedRatio(), throttle.floorPct()), barrier, plain);
                }
                return new StrategyAdvice(MigrationStrategy.POSTCOPY, why + String.format(Locale.ROOT,
                        "; even at the %.0f %% CPU floor it would dirty %.1f Mbit/s, so switch to post-copy after "
                                + "the first full pass", throttle.floorPct(), atFloor), barrier, plain);
            }
            return new StrategyAdvice(MigrationStrategy.POSTCOPY, why
                    + "; the guest must not be slowed, so switch to post-copy after the first full pass", barrier, plain);
        }
        double redundancy = plain.redundancy(memoryMib);
        if (redundancy <= maxPlainRedundancy) {
            return new StrategyAdvice(MigrationStrategy.PRECOPY, String.format(Locale.ROOT,
                    "%s: plain pre-copy re-sends only %.0f %% of memory (%d rounds, downtime %.3f s); "
                            + "compression would cost CPU for little", facts, (redundancy - 1) * 100, plain.rounds(),
                    plain.downtimeS()), barrier, plain);
        }
        return new StrategyAdvice(MigrationStrategy.COMPRESSED, String.format(Locale.ROOT,
                "%s: below %.0f %% of the barrier but plain pre-copy re-sends %.0f %% of memory; "
                        + "XBZRLE delta-compresses the re-sent pages", facts, nearFraction * 100, (redundancy - 1) * 100),
                barrier, plain);
    }
}
