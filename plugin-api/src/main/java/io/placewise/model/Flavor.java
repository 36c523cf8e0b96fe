package io.placewise.model;

import java.util.Map;

/** The size asked for, with Nova-style extra specs. */
public record Flavor(int vcpus, long memoryMb, long diskGb, Map<String, String> extraSpecs) {
    public Flavor {
        if (vcpus < 0 || memoryMb < 0 || diskGb < 0) {
            throw new IllegalArgumentException("flavor must not be negative");
        }
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }
}
