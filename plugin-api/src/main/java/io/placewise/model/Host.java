package io.placewise.model;

import java.util.Objects;

/**
 * A compute host as the scheduler sees it: capacity and the latest measured utilisation
 * (fractions of the host's total; swap writes in pages/s; NIC utilisation excludes IDC traffic).
 * {@code availabilityZone} is the cloud's zone of the host (Nova's aggregates), null when unknown.
 */
public record Host(String name, Capacity capacity, double cpuUtil, double memUtil,
                   double swapWritesPerS, double nicUtil, boolean enabled, String availabilityZone) {
    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacity, "capacity");
    }

    /** A host whose availability zone is unknown. */
    public Host(String name, Capacity capacity, double cpuUtil, double memUtil,
                double swapWritesPerS, double nicUtil, boolean enabled) {
        this(name, capacity, cpuUtil, memUtil, swapWritesPerS, nicUtil, enabled, null);
    }

    public Host withUtilisation(double cpu, double mem, double swapWrites, double nic) {
        return new Host(name, capacity, cpu, mem, swapWrites, nic, enabled, availabilityZone);
    }
}
