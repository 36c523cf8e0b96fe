package io.placewise.balancer;

import java.util.Locale;
import java.util.Optional;

/** The hotspot victim policies: seed 004's volume {@code V_ijk} and Sandpiper's VSR baseline (seed 004 §4.2). */
public enum VictimPolicy {
    VOLUME, VSR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VictimPolicy> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (VictimPolicy p : values()) {
            if (p.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
