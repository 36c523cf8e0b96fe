package io.placewise.model;

import java.util.Arrays;
import java.util.Optional;

/** Nova's server-group policies. */
public enum GroupPolicy {
    AFFINITY("affinity"),
    ANTI_AFFINITY("anti-affinity"),
    SOFT_AFFINITY("soft-affinity"),
    SOFT_ANTI_AFFINITY("soft-anti-affinity");

    private final String wireName;

    GroupPolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<GroupPolicy> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
