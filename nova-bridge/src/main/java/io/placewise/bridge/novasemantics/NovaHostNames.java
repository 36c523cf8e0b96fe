package io.placewise.bridge.novasemantics;

import java.util.List;

/**
 * Nova names a compute host by its service ({@code host}, what its APIs take and its scheduler
 * answers with); Placewise may know it by that name or by the hypervisor's node name. This turns
 * Placewise's name back into Nova's.
 */
public final class NovaHostNames {
    private NovaHostNames() {
    }

    /**
     * Nova's service host for a host Placewise calls {@code name}: itself when a service has that
     * name, else the service of the node so named, else {@code name} unchanged.
     */
    public static String serviceHost(String name, List<NovaHost> hosts) {
        for (NovaHost h : hosts) {
            if (name.equals(h.host())) {
                return name;
            }
        }
        for (NovaHost h : hosts) {
            if (name.equals(h.node()) && h.host() != null) {
                return h.host();
            }
        }
        return name;
    }
}
