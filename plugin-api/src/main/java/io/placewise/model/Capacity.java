package io.placewise.model;

/** What a host offers: vCPUs, RAM, disk and NIC bandwidth (Mbit/s). */
public record Capacity(int vcpus, long memoryMb, long diskGb, double nicMbps) {
    public Capacity {
        if (vcpus < 0 || memoryMb < 0 || diskGb < 0 || nicMbps < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
    }
}
