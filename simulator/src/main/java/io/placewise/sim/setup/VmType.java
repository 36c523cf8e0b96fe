package io.placewise.sim.setup;

import java.util.Objects;

/**
 * A VM size (CloudSim's VM types, or one read from a trace that provisions its VMs).
 *
 * @param mips          the VM's whole CPU (all its cores), in the hosts' units
 * @param dirtyRateMbps memory dirtying rate while running, for the pre-copy model (seed 003); 0 when unknown
 */
public record VmType(String name, double mips, int cores, long memoryMb, long diskGb, double dirtyRateMbps) {
    public VmType {
        Objects.requireNonNull(name, "name");
        if (!(mips > 0) || cores < 1 || memoryMb < 1 || diskGb < 0 || !(dirtyRateMbps >= 0)) {
            throw new IllegalArgumentException("VM type " + name + ": mips > 0, cores >= 1, memory_mb >= 1, disk_gb >= 0 "
                    + "and dirty_rate_mbps >= 0 are required");
        }
    }
}
