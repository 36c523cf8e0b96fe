package io.placewise.bridge.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The wire shapes of SAP's Nova fork's external-scheduler call (NOVA.md, {@code nova/scheduler/external.py}). */
public final class NovaExternalDtos {
    private NovaExternalDtos() {
    }

    /**
     * One candidate as Nova names it; Placewise matches {@code host} first, then {@code hypervisor_hostname}.
     * {@code instances} (the server group's members and the instance itself on this host) and
     * {@code availability_zone} are Nova's {@code HostState} view: the upstream shim sends them, SAP's
     * fork does not.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NovaHostDto(String host, String hypervisorHostname, List<String> instances, String availabilityZone) {
        public NovaHostDto(String host, String hypervisorHostname) {
            this(host, hypervisorHostname, null, null);
        }
    }

    /**
     * The request. {@code spec} is {@code RequestSpec.obj_to_primitive()}; {@code context} is Nova's
     * request context (only its request ids are used, for logs; SAP's older client sends none, the
     * newer one sends it without the token); {@code weights} are Nova's weigher totals per {@code host}.
     * Fields other clients of the same hook add (cortex's {@code pipeline}, {@code options}) are ignored.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NovaExternalRequestDto(JsonNode spec, JsonNode context, List<NovaHostDto> hosts,
                                         Map<String, JsonNode> weights, Boolean rebuild, Boolean resize,
                                         Boolean live, Boolean vmware) {
    }

    /** The answer: host names, best first. Nothing else: the fork validates it with additionalProperties false. */
    public record NovaExternalResponse(List<String> hosts) {
    }
}
