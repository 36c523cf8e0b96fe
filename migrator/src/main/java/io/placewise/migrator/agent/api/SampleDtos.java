package io.placewise.migrator.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The profiler's sample in the bridge's samples shape (API.md "Cluster snapshot" and
 * {@code POST /v1/hosts/{name}/samples}), so {@code GET /v1/stats} and the push are the same JSON.
 */
public final class SampleDtos {
    private SampleDtos() {
    }

    public record Capacity(int vcpus, long memoryMb, Double nicMbps) {
    }

    /**
     * {@code addresses}: the VM's interface addresses as libvirt reports them (how peers elsewhere
     * name it). {@code migrating_in} is present, and true, only for a VM migrating in (API.md): it
     * still runs on its source and must not be counted as this host's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VmSample(String id, String host, int vcpus, long memoryMb, double cpuUtil, double memUtil,
                           double swapWritesPerS, Double dirtyRateMbps, String workload, List<String> addresses,
                           Boolean migratingIn) {
    }

    /** Traffic {@code src} (a VM of this host) sent to {@code dst} (another VM of this host: IDC), Mbit/s. */
    public record Traffic(String src, String dst, double mbps) {
    }

    /**
     * Traffic {@code src} (a VM of this host) sent through the NIC to {@code peerAddress} (a VM
     * elsewhere, named by its address), Mbit/s.
     */
    public record NicTraffic(String src, String peerAddress, double mbps) {
    }

    /**
     * {@code traffic} is the IDC part (both ends on this host), {@code nic_traffic} the part that
     * crosses the NIC; {@code nic_util} counts the NICs only, so it excludes the IDC part.
     */
    public record Sample(Instant at, String host, double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil,
                         Capacity capacity, List<VmSample> vms, List<Traffic> traffic, List<NicTraffic> nicTraffic) {
    }
}
