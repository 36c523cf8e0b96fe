package io.placewise.model;

import java.util.Objects;
import java.util.Set;

/**
 * A VM in the cluster. {@code cpuUtil} is its share of its host's total CPU, so a host's
 * utilisation is about the sum of its VMs'. {@code group} names a server/communicating group.
 * {@code toleratesSlowing} is the flavor's {@code placewise:tolerates_slowing} when it says so, null
 * when nothing was said (then the workload class decides).
 */
public record Vm(String id, String host, int vcpus, long memoryMb, long diskGb,
                 double cpuUtil, double memUtil, double swapWritesPerS, double dirtyRateMbps,
                 WorkloadClass workload, Set<String> nonsharable, String group, Boolean toleratesSlowing) {
    public Vm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        workload = workload == null ? WorkloadClass.MIXED : workload;
        nonsharable = nonsharable == null ? Set.of() : Set.copyOf(nonsharable);
    }

    /** A VM whose flavor says nothing about slowing. */
    public Vm(String id, String host, int vcpus, long memoryMb, long diskGb,
              double cpuUtil, double memUtil, double swapWritesPerS, double dirtyRateMbps,
              WorkloadClass workload, Set<String> nonsharable, String group) {
        this(id, host, vcpus, memoryMb, diskGb, cpuUtil, memUtil, swapWritesPerS, dirtyRateMbps, workload, nonsharable,
                group, null);
    }

    public Vm onHost(String newHost) {
        return new Vm(id, newHost, vcpus, memoryMb, diskGb, cpuUtil, memUtil, swapWritesPerS,
                dirtyRateMbps, workload, nonsharable, group, toleratesSlowing);
    }

    public Vm withMemoryMb(long newMemoryMb) {
        return new Vm(id, host, vcpus, newMemoryMb, diskGb, cpuUtil, memUtil, swapWritesPerS,
                dirtyRateMbps, workload, nonsharable, group, toleratesSlowing);
    }
}
