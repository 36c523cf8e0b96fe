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
     * {@code migrating_in} is present, and true, only for a VM migrating in (API.md): it still runs
     * on its source and must not be counted as this host's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VmSample(String id, String host, int vcpus, long memoryMb, double cpuUtil, double memUtil,
                           double swapWritesPerS, Double dirtyRateMbps, String workload, Boolean migratingIn) {
    }

    public record Traffic(String src, String dst, double mbps) {
    }

    public record Sample(Instant at, String host, double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil,
                         Capacity capacity, List<VmSample> vms, List<Traffic> traffic) {
    }
}
