package io.placewise.precopy;

import java.util.Locale;

/**
 * The live-migration strategies of the workload-adaptive migrator (seed 000 §3.2, seed 003 §4), by
 * their wire names. {@link #AUTO} is a request, never a result: it is resolved by measuring the
 * dirty rate and asking {@link StrategyAdvisor}.
 */
public enum MigrationStrategy {
    /** Plain iterative pre-copy. */
    PRECOPY,
    /** Pre-copy with XBZRLE delta compression of re-sent pages (seed 000 §3.2, generic workloads). */
    COMPRESSED,
    /** Post-copy after the first full pass: every page crosses at most twice (seed 000 §3.2). */
    POSTCOPY,
    /** Pre-copy with the per-round CPU share of seed 003 Eq. 9. */
    THROTTLED,
    /** Measure, then let the advisor choose one of the four above. */
    AUTO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy named {@code name} (case-insensitive), or IllegalArgumentException naming the choices. */
    public static MigrationStrategy fromWire(String name) {
        if (name != null) {
            for (MigrationStrategy s : values()) {
                if (s.wireName().equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException(
                "strategy must be one of auto, precopy, compressed, postcopy, throttled; was " + name);
    }
}
