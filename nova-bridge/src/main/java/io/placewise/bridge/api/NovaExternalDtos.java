package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The wire shapes of SAP's Nova fork's external-scheduler call (NOVA.md, {@code nova/scheduler/external.py}). */
public final class NovaExternalDtos {
    private NovaExternalDtos() {
    }

    /** One candidate as Nova names it; Placewise matches {@code host} first, then {@code hypervisor_hostname}. */
    public record NovaHostDto(String host, String hypervisorHostname) {
    }

    /**
     * The request. {@code spec} is {@code RequestSpec.obj_to_primitive()}; {@code context} is Nova's
     * request context (only its {@code request_id} is used, for logs); {@code weights} are Nova's
     * weigher totals per {@code host}.
     */
    public record NovaExternalRequestDto(JsonNode spec, JsonNode context, List<NovaHostDto> hosts,
                                         Map<String, JsonNode> weights, Boolean rebuild, Boolean resize,
                                         Boolean live, Boolean vmware) {
    }

    /** The answer: host names, best first. Nothing else: the fork validates it with additionalProperties false. */
    public record NovaExternalResponse(List<String> hosts) {
    }
}
