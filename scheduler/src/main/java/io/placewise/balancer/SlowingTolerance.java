package io.placewise.balancer;

import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;

/**
 * Whether a guest may be slowed down to make its live migration converge (seed 003 §4, Eq. 9's CPU
 * throttling): its flavor's {@code placewise:tolerates_slowing} when given; otherwise its workload
 * class, where batch-like classes (CPU, memory, disk I/O; seed 002 §3.1) tolerate it and interactive
 * ones (web servers, network receivers) and unclassified VMs do not.
 */
public final class SlowingTolerance {
    private SlowingTolerance() {
    }

    public static boolean of(Vm vm) {
        if (vm.toleratesSlowing() != null) {
            return vm.toleratesSlowing();
        }
        return byClass(vm.workload());
    }

    static boolean byClass(WorkloadClass w) {
        return switch (w) {
            case CPU, MEMORY, DISK_IO -> true;
            case WEB, NET_RX, MIXED -> false;
        };
    }
}
