package io.placewise.weighers;

import io.placewise.model.GroupPolicy;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;

/** soft-anti-affinity: prefers hosts with fewer members of the VM's server group (Nova's weigher of that name). */
public final class ServerGroupSoftAntiAffinityWeigher implements HostWeigher {
    @Override
    public String description() {
        return "soft-anti-affinity: prefers hosts with fewer members of the server group";
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        var group = context.spec().group();
        if (group == null || group.policy() != GroupPolicy.SOFT_ANTI_AFFINITY) {
            return host -> 0;
        }
        return host -> -context.groupMembersOn(host.name());
    }
}
