package io.placewise.precopy;

/**
 * The inputs of seed 003's pre-copy model (§3, Eqs. 1–5) in {@link DataUnits}' convention:
 * M in MiB, B and p in Mbit/s, h in KiB, N the maximum number of rounds including the final
 * stop-and-copy round. The paper's defaults are N = 30 and h = 256 KiB.
 */
public record PreCopyInput(double memoryMib, double bandwidthMbps, double dirtyRateMbps, int maxRounds,
                           double thresholdKib) {
    public static final int DEFAULT_MAX_ROUNDS = 30;
    public static final double DEFAULT_THRESHOLD_KIB = 256;

    public PreCopyInput {
        requireFinite("memory_mb", memoryMib);
        requireFinite("bandwidth_mbps", bandwidthMbps);
        requireFinite("dirty_rate_mbps", dirtyRateMbps);
        requireFinite("threshold_kb", thresholdKib);
        if (memoryMib <= 0) {
            throw new IllegalArgumentException("memory_mb must be > 0, was " + memoryMib);
        }
        if (bandwidthMbps <= 0) {
            throw new IllegalArgumentException("bandwidth_mbps must be > 0, was " + bandwidthMbps);
        }
        if (dirtyRateMbps < 0) {
            throw new IllegalArgumentException("dirty_rate_mbps must be >= 0, was " + dirtyRateMbps);
        }
        // N = 1 would be a plain stop-and-copy, and Eq. 5's root 1/(N−1) would not exist.
        if (maxRounds < 2) {
            throw new IllegalArgumentException("max_rounds must be >= 2, was " + maxRounds);
        }
        if (thresholdKib <= 0) {
            throw new IllegalArgumentException("threshold_kb must be > 0, was " + thresholdKib);
        }
    }

    /** M, B and p with the paper's defaults N = 30, h = 256 KiB. */
    public static PreCopyInput of(double memoryMib, double bandwidthMbps, double dirtyRateMbps) {
        return new PreCopyInput(memoryMib, bandwidthMbps, dirtyRateMbps, DEFAULT_MAX_ROUNDS, DEFAULT_THRESHOLD_KIB);
    }

    /** The same migration at another dirty rate. */
    public PreCopyInput withDirtyRate(double mbps) {
        return new PreCopyInput(memoryMib, bandwidthMbps, mbps, maxRounds, thresholdKib);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
    }
}
