package io.placewise.bridge.novasemantics;

import java.util.List;

/**
 * Why Nova is scheduling: the request spec's {@code _nova_check_type} hint (Nova and SAP's fork
 * set {@code rebuild}, {@code resize}, {@code live_migrate}; the fork also {@code evacuate}), else the
 * fork's {@code rebuild} / {@code resize} / {@code live} flags; a new boot otherwise.
 */
public enum NovaIntent {
    CREATE, REBUILD, RESIZE, LIVE_MIGRATE, EVACUATE;

    /** The scheduler hint carrying the intent. */
    public static final String CHECK_TYPE_HINT = "_nova_check_type";

    /**
     * @param checkType the hint's values (Nova stores hints as lists; the first counts, as in the fork's
     *                  {@code get_scheduler_hint})
     */
    public static NovaIntent of(List<String> checkType, boolean rebuild, boolean resize, boolean live) {
        String hint = checkType == null || checkType.isEmpty() ? null : checkType.get(0);
        if (hint != null) {
            switch (hint) {
                case "rebuild":
                    return REBUILD;
                case "resize":
                    return RESIZE;
                case "live_migrate":
                    return LIVE_MIGRATE;
                case "evacuate":
                    return EVACUATE;
                default:
                    break;
            }
        }
        if (rebuild) {
            return REBUILD;
        }
        if (live) {
            return LIVE_MIGRATE;
        }
        return resize ? RESIZE : CREATE;
    }

    /** An existing instance changes host (or may stay, for a resize): its current host matters. */
    public boolean movesAnInstance() {
        return this == RESIZE || this == LIVE_MIGRATE || this == EVACUATE;
    }

    /** The instance may not end where it is: a live migration leaves it, an evacuation flees a failed host. */
    public boolean leavesItsHost() {
        return this == LIVE_MIGRATE || this == EVACUATE;
    }
}
