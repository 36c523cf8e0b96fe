package io.placewise.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A policy's effective parameters (defaults, then the config file, then stored overrides), already
 * checked against its {@link ParamSpec}s. Immutable; replaced as a whole when a PATCH lands, so
 * values a policy derives from it (a parsed matrix) can be cached with {@link #derived}.
 */
public final class PolicyParams {
    private final Map<String, ParamSpec> specs;
    private final Map<String, String> values;
    private final Map<String, Object> derived = new ConcurrentHashMap<>();

    private PolicyParams(Map<String, ParamSpec> specs, Map<String, String> values) {
        this.specs = specs;
        this.values = values;
    }

    /**
     * Builds the parameters of a policy from its declared specs and the given values.
     *
     * @throws IllegalArgumentException for an unknown name or a value of the wrong type
     */
    public static PolicyParams of(List<ParamSpec> declared, Map<String, String> given) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (ParamSpec p : declared) {
            specs.put(p.name(), p);
            values.put(p.name(), p.defaultValue());
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            ParamSpec spec = specs.get(e.getKey());
            if (spec == null) {
                throw new ParamException(e.getKey(), "unknown parameter (known: " + specs.keySet() + ")");
            }
            spec.check(e.getValue());
            values.put(e.getKey(), e.getValue().trim());
        }
        return new PolicyParams(Collections.unmodifiableMap(specs), Collections.unmodifiableMap(values));
    }

    public static PolicyParams none() {
        return of(List.of(), Map.of());
    }

    /** These values with some replaced; the same checks as {@link #of}. */
    public PolicyParams with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(changes);
        return of(List.copyOf(specs.values()), merged);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Optional<ParamSpec> spec(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    public String getString(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("undeclared parameter " + name);
        }
        return v;
    }

    public double getDouble(String name) {
        return Double.parseDouble(getString(name));
    }

    public long getLong(String name) {
        return Long.parseLong(getString(name));
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBoolean(String name) {
        return ParamSpec.parseBoolean(getString(name)).orElse(false);
    }

    public List<String> getList(String name) {
        return ParamSpec.splitList(getString(name));
    }

    /** A value computed once from these parameters (e.g. a parsed matrix), cached under {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T derived(String key, Function<PolicyParams, T> compute) {
        return (T) derived.computeIfAbsent(key, k -> compute.apply(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyParams p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
