package io.placewise.bridge.api;

import io.placewise.service.api.Limits;
import io.placewise.service.api.StorableTime;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** The cluster snapshot's wire shapes (API.md "Cluster snapshot"). */
public final class ClusterDtos {
    private ClusterDtos() {
    }

    public record CapacityDto(
            @NotNull @PositiveOrZero @Max(Limits.HOST_VCPUS) Integer vcpus,
            @NotNull @PositiveOrZero @Max(Limits.SIZE) Long memoryMb,
            @PositiveOrZero @Max(Limits.SIZE) Long diskGb,
            @PositiveOrZero @DecimalMax(Limits.MBPS) Double nicMbps) {
    }

    /**
     * A host; {@code capacity} is required when the host is new. Utilisations omitted are derived from its VMs.
     * {@code availability_zone}: the cloud's zone of the host (Nova's sync fills it), omitted when unknown.
     * {@code stale} and {@code last_sample_at} are answered by the bridge (when its agent last reported) and
     * ignored on input.
     */
    public record HostDto(
            @NotBlank @Size(max = Limits.NAME) String name,
            @Valid CapacityDto capacity,
            @DecimalMin("0") @DecimalMax("1") Double cpuUtil,
            @DecimalMin("0") @DecimalMax("1") Double memUtil,
            @PositiveOrZero @DecimalMax(Limits.PER_S) Double swapWritesPerS,
            @DecimalMin("0") @DecimalMax("1") Double nicUtil,
            Boolean enabled,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Size(max = 255) String availabilityZone,
            Boolean stale,
            Instant lastSampleAt) {
        /** A host without a zone, as a client describes it. */
        public HostDto(String name, CapacityDto capacity, Double cpuUtil, Double memUtil, Double swapWritesPerS,
                       Double nicUtil, Boolean enabled) {
            this(name, capacity, cpuUtil, memUtil, swapWritesPerS, nicUtil, enabled, null, null, null);
        }

        /** A host as a client describes it. */
        public HostDto(String name, CapacityDto capacity, Double cpuUtil, Double memUtil, Double swapWritesPerS,
                       Double nicUtil, Boolean enabled, String availabilityZone) {
            this(name, capacity, cpuUtil, memUtil, swapWritesPerS, nicUtil, enabled, availabilityZone, null, null);
        }
    }

    public record VmDto(
            @NotBlank @Size(max = Limits.NAME) String id,
            @Size(max = Limits.NAME) String host,
            @PositiveOrZero @Max(Limits.VM_VCPUS) Integer vcpus,
            @PositiveOrZero @Max(Limits.SIZE) Long memoryMb,
            @PositiveOrZero @Max(Limits.SIZE) Long diskGb,
            @DecimalMin("0") @DecimalMax("1") Double cpuUtil,
            @DecimalMin("0") @DecimalMax("1") Double memUtil,
            @PositiveOrZero @DecimalMax(Limits.PER_S) Double swapWritesPerS,
            @PositiveOrZero @DecimalMax(Limits.MBPS) Double dirtyRateMbps,
            @Size(max = Limits.NAME) String workload,
            @Size(max = Limits.NONSHARABLE) List<@NotBlank @Size(max = Limits.NAME) String> nonsharable,
            @Size(max = Limits.NAME) String group,
            @Size(max = Limits.NONSHARABLE) List<@NotBlank @Size(max = 64) String> addresses,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean toleratesSlowing,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean migratingIn) {

        /**
         * A VM without the addresses an agent reports (they only serve to name traffic peers), not migrating
         * in; {@code migrating_in} is only for profiler samples: a VM migrating into the reporting host, not yet
         * its VM.
         */
        public VmDto(String id, String host, Integer vcpus, Long memoryMb, Long diskGb, Double cpuUtil, Double memUtil,
                     Double swapWritesPerS, Double dirtyRateMbps, String workload, List<String> nonsharable, String group) {
            this(id, host, vcpus, memoryMb, diskGb, cpuUtil, memUtil, swapWritesPerS, dirtyRateMbps, workload, nonsharable,
                    group, null, null, null);
        }

        /** Without {@code tolerates_slowing} (the workload class decides), not migrating in. */
        public VmDto(String id, String host, Integer vcpus, Long memoryMb, Long diskGb, Double cpuUtil, Double memUtil,
                     Double swapWritesPerS, Double dirtyRateMbps, String workload, List<String> nonsharable, String group,
                     List<String> addresses) {
            this(id, host, vcpus, memoryMb, diskGb, cpuUtil, memUtil, swapWritesPerS, dirtyRateMbps, workload, nonsharable,
                    group, addresses, null, null);
        }
    }

    public record TrafficDto(@NotBlank @Size(max = Limits.NAME) String src, @NotBlank @Size(max = Limits.NAME) String dst,
                             @NotNull @PositiveOrZero @DecimalMax(Limits.MBPS) Double mbps) {
    }

    /**
     * Traffic a VM of the reporting host sent through the NIC to a peer named by its address
     * (the agent sees the address, not the VM); the bridge names the VM when another host's
     * agent reported that address.
     */
    public record NicTrafficDto(@NotBlank String src, @NotBlank @Size(max = 64) String peerAddress,
                                @NotNull @PositiveOrZero Double mbps) {
    }

    /**
     * A server group with a rule (Nova's, named by its uuid when it comes from Nova); {@code members}
     * are the VMs in it (on input, VMs listed here join the group).
     */
    public record ServerGroupDto(
            @NotBlank @Size(max = 255) String name,
            @NotBlank String policy,
            List<@NotBlank String> members) {
    }

    public record ClusterDto(
            @NotNull List<@NotNull @Valid HostDto> hosts,
            List<@NotNull @Valid VmDto> vms,
            List<@NotNull @Valid TrafficDto> traffic,
            List<@NotNull @Valid ServerGroupDto> groups) {

        /** A snapshot without server groups. */
        public ClusterDto(List<HostDto> hosts, List<VmDto> vms, List<TrafficDto> traffic) {
            this(hosts, vms, traffic, null);
        }
    }

    /** One profiler report for a host: its load now, optionally the VMs it runs and their traffic. */
    public record SampleDto(
            @StorableTime Instant at,
            @DecimalMin("0") @DecimalMax("1") Double cpuUtil,
            @DecimalMin("0") @DecimalMax("1") Double memUtil,
            @PositiveOrZero @DecimalMax(Limits.PER_S) Double swapWritesPerS,
            @DecimalMin("0") @DecimalMax("1") Double nicUtil,
            @Valid CapacityDto capacity,
            Boolean enabled,
            List<@NotNull @Valid VmDto> vms,
            List<@NotNull @Valid TrafficDto> traffic,
            List<@NotNull @Valid NicTrafficDto> nicTraffic) {

        /** This report with other traffic and no NIC traffic left to resolve. */
        public SampleDto withTraffic(List<TrafficDto> resolved) {
            return new SampleDto(at, cpuUtil, memUtil, swapWritesPerS, nicUtil, capacity, enabled, vms, resolved, null);
        }
    }

    public record UsageDto(int vcpusUsed, long memoryMbUsed, long diskGbUsed, int vmCount) {
    }

    public record SampleView(Instant at, double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil) {
    }

    public record ForecastDto(double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil, int window) {
    }

    /**
     * {@code GET /v1/hosts[/{name}]}: the host, what is allocated on it, its samples and AR(1) forecast;
     * {@code stale} when its agent stopped reporting ({@code [cluster] stale_after_s}), {@code last_sample_at}
     * when the bridge last received its sample (null: never), {@code migrating_in} the VMs its last sample
     * reported migrating in (detailed view).
     */
    public record HostStateDto(String name, CapacityDto capacity, double cpuUtil, double memUtil, double swapWritesPerS,
                               double nicUtil, boolean enabled, UsageDto usage, SampleView lastSample,
                               ForecastDto forecast, List<SampleView> samples, List<String> vms, boolean stale,
                               Instant lastSampleAt, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> migratingIn) {
    }
}
