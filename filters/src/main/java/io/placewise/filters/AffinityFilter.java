package io.placewise.filters;

import io.placewise.model.GroupPolicy;
import io.placewise.model.ServerGroup;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.Set;

/**
 * Hard server-group affinity: {@code affinity} keeps a group on the host(s) its members use,
 * {@code anti-affinity} never joins a member (Nova's ServerGroup(Anti)AffinityFilter).
 */
public final class AffinityFilter implements HostFilter {
    @Override
    public String description() {
        return "Server-group affinity and anti-affinity, hard (Nova's ServerGroupAffinityFilter/AntiAffinityFilter)";
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        ServerGroup group = context.spec().group();
        if (group == null) {
            return host -> Verdict.pass();
        }
        Set<String> memberHosts = context.groupHosts();
        String label = group.name() == null ? "the server group" : "server group '" + group.name() + "'";
        if (group.policy() == GroupPolicy.AFFINITY) {
            if (memberHosts.isEmpty()) {
                return host -> Verdict.pass();
            }
            return host -> memberHosts.contains(host.name()) ? Verdict.pass()
                    : Verdict.reject("affinity: " + label + " runs on " + sorted(memberHosts) + ", not here");
        }
        if (group.policy() == GroupPolicy.ANTI_AFFINITY) {
            return host -> memberHosts.contains(host.name())
                    ? Verdict.reject("anti-affinity: " + context.groupMembersOn(host.name()) + " member(s) of " + label + " already here")
                    : Verdict.pass();
        }
        return host -> Verdict.pass();
    }

    private static String sorted(Set<String> hosts) {
        return hosts.stream().sorted().toList().toString();
    }
}
