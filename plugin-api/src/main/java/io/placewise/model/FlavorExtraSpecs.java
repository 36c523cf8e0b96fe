package io.placewise.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The flavor extra specs Placewise reads, named once for every caller (the hooks, Nova's sync, the
 * filters): a flavor opts into a workload class, names nonsharable resources, and says whether its
 * guest may be slowed down during a live migration.
 */
public final class FlavorExtraSpecs {
    /** The flavor's workload class, a {@link WorkloadClass} wire name. */
    public static final String WORKLOAD = "placewise:workload";
    /** Further nonsharable resources of the VM, comma-separated. */
    public static final String NONSHARABLE = "placewise:nonsharable";
    /** {@code true}/{@code false}: the guest may be CPU-throttled to make its live migration converge (seed 003 Eq. 9). */
    public static final String TOLERATES_SLOWING = "placewise:tolerates_slowing";

    private FlavorExtraSpecs() {
    }

    /** The resources named by {@link #NONSHARABLE}, trimmed, empty items dropped; empty when the key is absent. */
    public static Set<String> nonsharable(Map<String, String> extraSpecs) {
        String value = extraSpecs == null ? null : extraSpecs.get(NONSHARABLE);
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /**
     * {@link #TOLERATES_SLOWING} as a boolean in the one grammar of configuration and PATCHes
     * ({@link io.placewise.plugin.ParamSpec#parseBoolean}: true/yes/on/1, false/no/off/0, any case); empty
     * when the key is absent or says neither, and the workload class decides.
     */
    public static java.util.Optional<Boolean> toleratesSlowing(Map<String, String> extraSpecs) {
        return io.placewise.plugin.ParamSpec.parseBoolean(extraSpecs == null ? null : extraSpecs.get(TOLERATES_SLOWING));
    }
}
