package io.placewise.model;

import java.util.Objects;

/**
 * A compute host as the scheduler sees it: capacity and the latest measured utilisation
 * (fractions of the host's total; swap writes in pages/s; NIC utilisation excludes IDC traffic).
 */
public record Host(String name, Capacity capacity, double cpuUtil, double memUtil,
                   double swapWritesPerS, double nicUtil, boolean enabled) {
    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacity, "capacity");
    }

    public Host withUtilisation(double cpu, double mem, double swapWrites, double nic) {
        return new Host(name, capacity, cpu, mem, swapWrites, nic, enabled);
    }
}
