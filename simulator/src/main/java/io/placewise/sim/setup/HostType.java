package io.placewise.sim.setup;

import io.placewise.sim.power.PowerModel;
import java.util.Objects;

/**
 * A kind of physical host and how many the simulated data centre has.
 *
 * @param mipsPerCore CPU speed of one core (MIPS as CloudSim counts them, or MHz)
 * @param nicMbps     NIC bandwidth, Mbit/s
 */
public record HostType(String name, int count, int cores, double mipsPerCore, long memoryMb, long diskGb, double nicMbps,
                       PowerModel power) {
    public HostType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(power, "power");
        if (count < 0 || cores < 1 || !(mipsPerCore > 0) || memoryMb < 1 || diskGb < 0 || !(nicMbps > 0)) {
            throw new IllegalArgumentException("host type " + name + ": count >= 0, cores >= 1, mips_per_core > 0, "
                    + "memory_mb >= 1, disk_gb >= 0 and nic_mbps > 0 are required");
        }
    }

    public double totalMips() {
        return cores * mipsPerCore;
    }
}
