package io.placewise.balancer;

import io.placewise.model.Host;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.precopy.PreCopyEstimate;
import io.placewise.precopy.PreCopyInput;
import io.placewise.precopy.PreCopyModel;
import io.placewise.precopy.StrategyAdvice;
import io.placewise.precopy.StrategyAdvisor;

/**
 * The cost of moving a VM (seed 002 §3.4: small memory, low dirty rate, CPU or disk-I/O workloads are
 * cheap), estimated with seed 003's pre-copy model, and the strategy proposed for it over the link.
 */
public final class MigrationCost {
    private static final double DEFAULT_LINK_MBPS = 1000.0;

    private MigrationCost() {
    }

    /** The migration link between two hosts: the slower NIC (1 Gbit/s when a capacity is unknown). */
    public static double linkMbps(Host source, Host destination) {
        double a = nic(source);
        double b = destination == null ? a : nic(destination);
        return Math.min(a, b);
    }

    private static double nic(Host h) {
        return h == null || h.capacity().nicMbps() <= 0 ? DEFAULT_LINK_MBPS : h.capacity().nicMbps();
    }

    /** Seed 003 Eqs. 1–5 for this VM over {@code linkMbps}. */
    public static PreCopyEstimate estimate(Vm vm, double linkMbps) {
        return PreCopyModel.estimate(PreCopyInput.of(Math.max(1, vm.memoryMb()), linkMbps, Math.max(0, vm.dirtyRateMbps())));
    }

    /** CPU and disk-I/O workloads are preferred (seed 002 §3.4, Table 4.2): 0; the rest: 1. */
    public static int classRank(WorkloadClass w) {
        return w == WorkloadClass.CPU || w == WorkloadClass.DISK_IO ? 0 : 1;
    }

    /**
     * The strategy the migrator should use, from the dirty rate against the link; only a guest that
     * tolerates slowing ({@link SlowingTolerance}) is ever throttled.
     */
    public static StrategyAdvice advise(Vm vm, double linkMbps) {
        return StrategyAdvisor.DEFAULT.advise(Math.max(0, vm.dirtyRateMbps()), linkMbps, Math.max(1, vm.memoryMb()),
                SlowingTolerance.of(vm));
    }
}
