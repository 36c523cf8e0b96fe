package io.placewise.bridge.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.service.api.Limits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;

/** The scheduling hooks' wire shapes (API.md "Scheduling hooks"). */
public final class SchedulingDtos {
    private SchedulingDtos() {
    }

    public record FlavorDto(
            @NotNull @PositiveOrZero @Max(Limits.VM_VCPUS) Integer vcpus,
            @NotNull @PositiveOrZero @Max(Limits.SIZE) Long memoryMb,
            @PositiveOrZero @Max(Limits.SIZE) Long diskGb,
            Map<@Size(max = Limits.NAME) String, @NotNull @Size(max = Limits.TEXT) String> extraSpecs) {
    }

    public record GroupDto(@Size(max = Limits.NAME) String name, @NotBlank @Size(max = Limits.NAME) String policy,
                           List<@NotBlank @Size(max = Limits.NAME) String> members) {
    }

    public record PeerTrafficDto(@NotBlank @Size(max = Limits.NAME) String peer,
                                 @NotNull @PositiveOrZero @DecimalMax(Limits.MBPS) Double mbps) {
    }

    /** {@code source_host}: set when an existing VM is being moved (defaults to its current host). */
    public record SpecDto(
            @Size(max = Limits.NAME) String instanceUuid,
            @NotNull @Valid FlavorDto flavor,
            @Size(max = Limits.NAME) String workload,
            @Size(max = Limits.NONSHARABLE) List<@NotBlank @Size(max = Limits.NAME) String> nonsharable,
            @Valid GroupDto group,
            List<@NotNull @Valid PeerTrafficDto> traffic,
            @Size(max = Limits.NAME) String sourceHost,
            Map<String, JsonNode> schedulerHints) {
    }

    /**
     * {@code hosts}: names, or objects with the snapshot's host fields overriding what the bridge knows.
     * {@code nova}: what Nova itself knows of the request (the upstream shim sends it); with it the spec
     * is read from Nova's request spec and Nova's scheduling rules apply (docs/nova.md).
     */
    public record SchedulingRequestDto(
            @NotNull @Valid SpecDto spec,
            List<@NotNull JsonNode> hosts,
            @Min(1) @Max(1000) Integer numInstances,
            @Valid NovaDto nova) {
        public SchedulingRequestDto(SpecDto spec, List<JsonNode> hosts, Integer numInstances) {
            this(spec, hosts, numInstances, null);
        }
    }

    /**
     * Nova's own view of a scheduling pass: {@code request_spec} is {@code RequestSpec.obj_to_primitive()};
     * {@code hosts} names each candidate as Nova does ({@code host}, {@code hypervisor_hostname}), with
     * the group members Nova's {@code HostState} holds there and its availability zone. An entry
     * describes the candidate whose name is its {@code host} or its {@code hypervisor_hostname}.
     */
    public record NovaDto(@NotNull JsonNode requestSpec, List<NovaExternalDtos.@NotNull NovaHostDto> hosts) {
    }

    public record RejectionDto(String host, String filter, String reason) {
    }

    /** {@code raw} (each weigher's score before normalisation) is only in {@code /v1/weigh}'s answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WeighedDto(String host, double weight, Map<String, Double> by, Map<String, Double> raw) {
    }

    public record FilterResponse(List<String> passed, List<RejectionDto> rejected, double decisionMs) {
    }

    public record WeighResponse(List<WeighedDto> weighed, double decisionMs) {
    }

    public record SelectResponse(List<String> selected, List<String> alternates, List<WeighedDto> weighed,
                                 List<RejectionDto> rejected, int passedTotal, double decisionMs) {
    }
}
