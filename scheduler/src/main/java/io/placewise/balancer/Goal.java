package io.placewise.balancer;

import java.util.Locale;
import java.util.Optional;

/** What an audit looks for: CPU imbalance (seed 000 §3.1 step 2) or hotspots (seed 004 §3.4.2). */
public enum Goal {
    BALANCE, HOTSPOT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
