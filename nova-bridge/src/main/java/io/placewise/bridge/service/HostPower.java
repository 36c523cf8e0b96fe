package io.placewise.bridge.service;

import io.placewise.bridge.nova.NovaClient;
import io.placewise.model.Host;

/**
 * Switches a compute host on or off for placement and migration: what a consolidation's woken and
 * freed hosts become (seed 001 §IV). Off means no VM is placed on or migrated to it; powering the
 * machine itself down is the operator's (their IPMI or power manager reads the freed hosts).
 */
public interface HostPower {
    /** Sets the host's state; throws with what went wrong. */
    void switchTo(String host, boolean on, String reason);

    /** Placewise's own view: the host's {@code enabled} flag in the live cluster, on disk when this returns. */
    static HostPower cluster(ClusterStore cluster) {
        return (host, on, reason) -> {
            boolean known = cluster.apply(e -> {
                Host h = e.host(host);
                if (h == null) {
                    return false;
                }
                if (h.enabled() != on) {
                    e.putHost(new Host(h.name(), h.capacity(), h.cpuUtil(), h.memUtil(), h.swapWritesPerS(), h.nicUtil(), on,
                            h.availabilityZone()));
                }
                return true;
            });
            if (!known) {
                throw new IllegalStateException("host " + host + " is no longer in the cluster");
            }
        };
    }

    /**
     * Nova's compute service first (its scheduler and the periodic sync read it), then Placewise's
     * view: with {@code [balancer] executor = nova}, a disabled Placewise host alone would be enabled
     * again by the next sync, and Nova would refuse a live migration to a disabled service.
     */
    static HostPower nova(NovaClient nova, ClusterStore cluster) {
        HostPower own = cluster(cluster);
        return (host, on, reason) -> {
            nova.setComputeServiceEnabled(host, on, reason);
            own.switchTo(host, on, reason);
        };
    }
}
