package io.placewise.bridge.novasemantics;

import java.util.List;
import java.util.Map;

/**
 * The fields of Nova's {@code RequestSpec} that decide where an instance may go. Empty strings from
 * callers that serialise unset fields (SAP's cortex) are already null here: {@code destinationHost}
 * and {@code destinationNode} are {@code requested_destination.host} / {@code .node}.
 */
public record NovaRequestSpec(String instanceUuid, NovaFlavor flavor, boolean volumeBacked, NovaServerGroup group,
                              int numInstances, List<String> ignoreHosts, List<String> forceHosts, List<String> forceNodes,
                              String destinationHost, String destinationNode, String availabilityZone,
                              Map<String, List<String>> hints) {
    public NovaRequestSpec {
        ignoreHosts = ignoreHosts == null ? List.of() : List.copyOf(ignoreHosts);
        forceHosts = forceHosts == null ? List.of() : List.copyOf(forceHosts);
        forceNodes = forceNodes == null ? List.of() : List.copyOf(forceNodes);
        hints = hints == null ? Map.of() : Map.copyOf(hints);
        numInstances = Math.max(1, numInstances);
    }

    /** Nova's {@code _nova_check_type} hint. */
    public List<String> checkType() {
        return hints.getOrDefault(NovaIntent.CHECK_TYPE_HINT, List.of());
    }
}
