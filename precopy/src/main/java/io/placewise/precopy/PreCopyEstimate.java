package io.placewise.precopy;

/**
 * What seed 003's pre-copy model (Eqs. 1–5) predicts for one migration: n rounds (the last one the
 * stop-and-copy), downtime t_n, total time T_c, data sent T_c·B, whether the dirty memory fell to
 * the threshold h before round N, and the migration barrier p_max of Eq. 5. Times in seconds,
 * data in MiB, rates in Mbit/s ({@link DataUnits}).
 */
public record PreCopyEstimate(int rounds, double downtimeS, double totalS, double dataMib, boolean converges,
                              double barrierMbps) {

    /** Eq. 4's redundancy ratio R = T_c·B / M: how many times the memory crossed the wire. */
    public double redundancy(double memoryMib) {
        return dataMib / memoryMib;
    }
}
