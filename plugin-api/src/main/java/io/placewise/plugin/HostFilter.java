package io.placewise.plugin;

import io.placewise.model.Host;

/** A hard rule: a host passes or is rejected with a reason. */
public interface HostFilter extends Policy {

    /**
     * PreFilter: called once per request with the request's context; returns the per-host check.
     * Anything every host would recompute (the group members' hosts, the VM's peers) is computed
     * here, once.
     */
    HostCheck prepare(PlacementContext context, PolicyParams params);

    /** The per-host check of one request. */
    @FunctionalInterface
    interface HostCheck {
        Verdict test(Host host);
    }
}
