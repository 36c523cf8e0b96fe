package io.placewise.precopy;

/**
 * Seed 003 Eq. 9, the CPU share of the next pre-copy round: e_{i+1} = C·B·e_i / p_i, so that the
 * next round's dirty rate is about C·B (the dirty rate is taken as proportional to the CPU share,
 * Eq. 8). C is the expected ratio p/B (default 0.8). The result is clamped to [floor, ceiling]:
 * the floor (default 20 %) keeps the guest responsive, the ceiling (default 100 %) is lowered to the
 * VM's original share by the migrator so throttling never grants more CPU than the VM had.
 * Shares are percentages of one physical CPU per vCPU.
 */
public record ThrottlePlan(double expectedRatio, double floorPct, double ceilingPct) {
    public static final ThrottlePlan DEFAULT = new ThrottlePlan(0.8, 20, 100);

    public ThrottlePlan {
        if (!(expectedRatio > 0 && expectedRatio <= 1)) {
            throw new IllegalArgumentException("expected ratio C must be in (0, 1], was " + expectedRatio);
        }
        if (!(floorPct > 0 && floorPct <= 100)) {
            throw new IllegalArgumentException("floor must be in (0, 100] %, was " + floorPct);
        }
        if (!(ceilingPct >= floorPct && ceilingPct <= 100)) {
            throw new IllegalArgumentException("ceiling must be in [floor, 100] %, was " + ceilingPct);
        }
    }

    /**
     * This plan with its ceiling lowered to the VM's original share. A VM already below the floor
     * keeps its own share as both floor and ceiling: throttling must never raise a VM's CPU.
     */
    public ThrottlePlan withCeiling(double originalSharePct) {
        double ceiling = Math.max(Math.min(100, originalSharePct), Double.MIN_NORMAL);
        return new ThrottlePlan(expectedRatio, Math.min(floorPct, ceiling), ceiling);
    }

    /**
     * Eq. 9: the share (%) for round i+1, given the share e_i (%) during round i, the dirty rate p_i
     * and the transfer rate B measured in round i (both Mbit/s). A round that dirtied nothing (or a
     * rate not measured yet) needs no throttle: the ceiling.
     */
    public double nextSharePct(double currentSharePct, double dirtyRateMbps, double bandwidthMbps) {
        if (!(dirtyRateMbps > 0) || !(bandwidthMbps > 0) || !(currentSharePct > 0)) {
            return ceilingPct;
        }
        double next = expectedRatio * bandwidthMbps * currentSharePct / dirtyRateMbps;
        return Math.max(floorPct, Math.min(ceilingPct, next));
    }

    /** The dirty rate (Mbit/s) a VM dirtying {@code dirtyRateMbps} at 100 % would still reach at the floor. */
    public double dirtyRateAtFloor(double dirtyRateMbps, double currentSharePct) {
        return dirtyRateMbps * floorPct / Math.max(currentSharePct, floorPct);
    }
}
