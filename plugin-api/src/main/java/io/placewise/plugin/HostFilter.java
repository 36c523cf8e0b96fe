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

    /**
     * Whether the filter's verdicts hold for every instance of a multi-instance request (Nova's
     * {@code run_filter_once_per_request}): true for a rule this request's own claims cannot change
     * (the host's state, its measured load). The handler then prepares it once and reuses each host's
     * verdict, its reason included, for the later instances instead of testing the host again.
     * False (the default) for rules that count what the request has already placed.
     */
    default boolean runOncePerRequest() {
        return false;
    }

    /** The per-host check of one request. */
    @FunctionalInterface
    interface HostCheck {
        Verdict test(Host host);
    }
}
