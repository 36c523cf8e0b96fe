package io.placewise.bridge.api;

import io.placewise.service.api.Limits;
import io.placewise.service.api.StorableTime;
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

    /** A host; {@code capacity} is required when the host is new. Utilisations omitted are derived from its VMs. */
    public record HostDto(
            @NotBlank @Size(max = Limits.NAME) String name,
            @Valid CapacityDto capacity,
            @DecimalMin("0") @DecimalMax("1") Double cpuUtil,
            @DecimalMin("0") @DecimalMax("1") Double memUtil,
            @PositiveOrZero @DecimalMax(Limits.PER_S) Double swapWritesPerS,
            @DecimalMin("0") @DecimalMax("1") Double nicUtil,
            Boolean enabled) {
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
            @Size(max = Limits.NAME) String group) {
    }

    public record TrafficDto(@NotBlank @Size(max = Limits.NAME) String src, @NotBlank @Size(max = Limits.NAME) String dst,
                             @NotNull @PositiveOrZero @DecimalMax(Limits.MBPS) Double mbps) {
    }

    public record ClusterDto(
            @NotNull List<@NotNull @Valid HostDto> hosts,
            List<@NotNull @Valid VmDto> vms,
            List<@NotNull @Valid TrafficDto> traffic) {
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
            List<@NotNull @Valid TrafficDto> traffic) {
    }

    public record UsageDto(int vcpusUsed, long memoryMbUsed, long diskGbUsed, int vmCount) {
    }

    public record SampleView(Instant at, double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil) {
    }

    public record ForecastDto(double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil, int window) {
    }

    /** {@code GET /v1/hosts[/{name}]}: the host, what is allocated on it, its samples and AR(1) forecast. */
    public record HostStateDto(String name, CapacityDto capacity, double cpuUtil, double memUtil, double swapWritesPerS,
                               double nicUtil, boolean enabled, UsageDto usage, SampleView lastSample,
                               ForecastDto forecast, List<SampleView> samples, List<String> vms) {
    }
}
