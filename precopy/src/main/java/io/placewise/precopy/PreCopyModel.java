package io.placewise.precopy;

import java.util.function.IntToDoubleFunction;

/**
 * Seed 003's iterative pre-copy model (§3, Eqs. 1–5), used to choose a strategy before migrating,
 * to price a candidate VM for the balancer and to answer {@code POST /v1/model/precopy}.
 *
 * <p>Round i sends what was dirtied during round i−1 (Eq. 1): t_1 = M/B, t_{i+1} = D_i/B with
 * D_i = min(p_i·t_i, M). The model stops pre-copying after round i when D_i ≤ h or when round i+1
 * would be round N (Eq. 2), and round n is the stop-and-copy: the VM is paused while D_{n−1} is
 * sent, so the downtime is t_n. T_c = Σ t_i (Eq. 3), data = T_c·B (Eq. 4), and for a constant rate
 * the dirty memory reaches h before round N iff p ≤ p_max = (h/M)^(1/(N−1))·B (Eq. 5).
 *
 * <p>Two points the paper leaves implicit are explicit here:
 * <ul>
 *   <li><b>Dirty memory is capped at M.</b> A page written twice is sent once; a VM cannot have more
 *   dirty memory than memory. Eq. 1 without the cap lets t_i grow like (p/B)^i·M/B for p &gt; B,
 *   i.e. a "downtime" of hundreds of M/B. With the cap, for p ≥ B every round re-sends the whole
 *   memory (p·M/B ≥ M), so t_i = M/B for every i, n = N, and the final stop-and-copy sends all of M:
 *   downtime = M/B, total = N·M/B. That is the paper's own statement that a failed pre-copy costs
 *   "M/B downtime ... as well as a non-live migration". For p &lt; B the cap never binds, since
 *   p·t_i &lt; B·t_i ≤ M.</li>
 *   <li><b>An empty stop-and-copy is not a round.</b> With p = 0 nothing is dirtied during the first
 *   pass; the migration is one round of M/B and the (empty) pause is not priced, so downtime = 0.
 *   Device state is outside the paper's model and outside this one.</li>
 * </ul>
 */
public final class PreCopyModel {
    /** Relative slack on D ≤ h so that p exactly at the barrier converges despite rounding. */
    private static final double THRESHOLD_SLACK = 1e-9;

    private PreCopyModel() {
    }

    /** Eq. 5: the largest constant dirty rate (Mbit/s) whose dirty memory reaches h before round N. */
    public static double barrierMbps(PreCopyInput in) {
        double ratio = DataUnits.kibToMbit(in.thresholdKib()) / DataUnits.mibToMbit(in.memoryMib());
        return Math.pow(ratio, 1.0 / (in.maxRounds() - 1)) * in.bandwidthMbps();
    }

    /** Eqs. 1–4 for a constant dirty rate {@code in.dirtyRateMbps()}. */
    public static PreCopyEstimate estimate(PreCopyInput in) {
        return estimate(in, round -> in.dirtyRateMbps());
    }

    /**
     * Eqs. 1–4 with a dirty rate per round: {@code dirtyRateOfRound.applyAsDouble(i)} is p_i in
     * Mbit/s for round i ≥ 1 (e.g. a throttled VM's); {@code in.dirtyRateMbps()} is ignored. The
     * reported barrier is still Eq. 5 for M, B, N and h.
     */
    public static PreCopyEstimate estimate(PreCopyInput in, IntToDoubleFunction dirtyRateOfRound) {
        double memory = DataUnits.mibToMbit(in.memoryMib());
        double threshold = DataUnits.kibToMbit(in.thresholdKib());
        double bandwidth = in.bandwidthMbps();
        int maxRounds = in.maxRounds();

        double t = memory / bandwidth;      // t_1: the first full pass
        double total = t;
        int round = 1;
        boolean converges;
        while (true) {
            double p = Math.max(0, dirtyRateOfRound.applyAsDouble(round));
            double dirtied = Math.min(p * t, memory);        // D_i, capped at M
            if (dirtied == 0) {
                // Nothing left: the migration ends with this round (see class doc).
                return new PreCopyEstimate(round, 0, total, DataUnits.mbitToMib(total * bandwidth), true,
                        barrierMbps(in));
            }
            converges = dirtied <= threshold * (1 + THRESHOLD_SLACK);
            t = dirtied / bandwidth;                          // t_{i+1}
            total += t;
            round++;
            if (converges || round == maxRounds) {
                break;                                        // round is now n, the stop-and-copy
            }
        }
        double dataMib = DataUnits.mbitToMib(total * bandwidth);
        return new PreCopyEstimate(round, t, total, dataMib, converges, barrierMbps(in));
    }
}
