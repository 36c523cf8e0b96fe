package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The admin API's policy shapes (API.md "Admin"). */
public final class PolicyDtos {
    private PolicyDtos() {
    }

    public record ParameterDto(String name, String type, String defaultValue, String description) {
    }

    public record PolicyDto(String name, String kind, boolean enabled, Double multiplier, Map<String, String> params,
                            String description, List<ParameterDto> parameters) {
    }

    /** A PATCH body; the resource refuses unknown fields before mapping it. */
    public record PolicyPatchDto(Boolean enabled, Double multiplier, Map<String, JsonNode> params) {
    }
}
