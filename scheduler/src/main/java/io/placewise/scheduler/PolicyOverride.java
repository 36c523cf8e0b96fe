package io.placewise.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an operator changed at run time (PATCH): each field null when unchanged. Persisted. */
public record PolicyOverride(Boolean enabled, Double multiplier, Map<String, String> params) {
    public static final PolicyOverride NONE = new PolicyOverride(null, null, Map.of());

    public PolicyOverride {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** This override with {@code later} applied on top. */
    public PolicyOverride then(PolicyOverride later) {
        Map<String, String> merged = new LinkedHashMap<>(params);
        merged.putAll(later.params);
        return new PolicyOverride(later.enabled != null ? later.enabled : enabled,
                later.multiplier != null ? later.multiplier : multiplier, merged);
    }
}
