package io.placewise.filters;

import io.placewise.plugin.HostFilter;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;

/** Passes only hosts that are enabled (Nova's ComputeFilter). */
public final class ComputeFilter implements HostFilter {
    @Override
    public String description() {
        return "Passes only enabled hosts (Nova's ComputeFilter)";
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        return host -> host.enabled() ? Verdict.pass() : Verdict.reject("host is disabled");
    }
}
