package io.placewise.bridge.novasemantics;

import java.util.Set;

/**
 * A candidate as Nova names it: the compute service's {@code host} and the hypervisor's node name.
 * {@code instances} (the group's members and the instance itself found on it, from Nova's
 * {@code HostState}) and {@code availabilityZone} are Nova's own view, null when the caller did not send it.
 */
public record NovaHost(String host, String node, Set<String> instances, String availabilityZone) {
    public NovaHost {
        instances = instances == null ? null : Set.copyOf(instances);
    }

    public NovaHost(String host, String node) {
        this(host, node, null, null);
    }

    /** Whether Placewise may know this host as {@code name}: its service name or its node name. */
    public boolean isNamed(String name) {
        return name != null && (name.equals(host) || name.equals(node));
    }
}
