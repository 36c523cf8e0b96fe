package io.placewise.sim.engine;

import java.util.List;

/**
 * One policy's replay: the metrics of CloudSim's power experiments (energy, migrations, SLATAH, PDM, SLAV, ESV),
 * Placewise's own (overloaded host-hours, seed 000's C_m), migration costs from the pre-copy model, decision times
 * and the per-interval series behind the plots.
 *
 * @param slatah       share of active host time at 100 % CPU (allocated below requested), CloudSim's SLATAH
 * @param pdm          CPU lost to migrations over CPU requested (10 % of a VM's CPU while it migrates), CloudSim's PDM
 * @param cmMean       mean over intervals of C_m = (|C_diff_max| + |C_diff_min|)/2 over the powered hosts
 * @param series       per replayed interval, in order
 * @param activeUtilization every powered host's CPU utilisation at every metered interval (the spread plot)
 */
public record PolicyResult(String name, double energyKwh, int migrations, double slatah, double pdm, double slav,
                           double esv, double overloadHostHours, double cmMean, double activeHostsMean,
                           double migrationDataGb, double downtimeSTotal, double decisionMsP50, double decisionMsP99,
                           double wallS, List<IntervalStats> series, float[] activeUtilization, List<Migration> log) {
    public PolicyResult {
        series = List.copyOf(series);
        log = List.copyOf(log);
    }

    /**
     * One interval.
     *
     * @param vmsAlive        VMs of the trace alive at this interval
     * @param vmsPlaced       of them, the ones with a host
     * @param activeHosts     hosts using CPU after this interval's decision
     * @param overloadedHosts hosts whose CPU demand is above the overload threshold after the decision
     * @param migrations      migrations this interval's decision started
     * @param maxMemoryRatio  the highest provisioned-memory / host-memory over the hosts
     * @param maxCpuShare     the highest CPU allocation / host capacity over the hosts (never above 1)
     * @param cm              C_m over the powered hosts
     */
    public record IntervalStats(int interval, int vmsAlive, int vmsPlaced, int activeHosts, int overloadedHosts,
                                int migrations, double maxMemoryRatio, double maxCpuShare, double cm) {
    }
}
