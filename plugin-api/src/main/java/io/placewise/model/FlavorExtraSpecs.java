package io.placewise.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The flavor extra specs Placewise reads, named once for every caller (the hooks, Nova's sync, the
 * filters): a flavor opts into a workload class and names nonsharable resources.
 */
public final class FlavorExtraSpecs {
    /** The flavor's workload class, a {@link WorkloadClass} wire name. */
    public static final String WORKLOAD = "placewise:workload";
    /** Further nonsharable resources of the VM, comma-separated. */
    public static final String NONSHARABLE = "placewise:nonsharable";

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
}
