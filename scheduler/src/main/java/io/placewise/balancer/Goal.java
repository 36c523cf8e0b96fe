package io.placewise.balancer;

import java.util.Locale;
import java.util.Optional;

/**
 * What an audit looks for: CPU imbalance (seed 000 §3.1 step 2), hotspots (seed 004 §3.4.2), or hosts that
 * can be freed by packing their VMs elsewhere (seed 001 §IV, consolidation).
 */
public enum Goal {
    BALANCE, HOTSPOT, CONSOLIDATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire names, for messages: {@code balance, hotspot, consolidate}. */
    public static String wireNames() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Goal::wireName).toList());
    }

    public static Optional<Goal> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Goal g : values()) {
            if (g.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
