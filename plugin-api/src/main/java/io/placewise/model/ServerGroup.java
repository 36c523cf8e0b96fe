package io.placewise.model;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The server group of the VM being placed; {@code members} are VM ids already in the group.
 * {@code hosts} are hosts the cloud reports as holding members (Nova's {@code InstanceGroup.hosts}),
 * which count even when Placewise has not been told about those members; a host listed n times
 * holds at least n members (Nova appends a host once per instance it places in one request).
 * {@code maxPerHost} is how many members an anti-affinity group allows on one host (Nova's
 * {@code max_server_per_host} rule, default 1).
 */
public record ServerGroup(String name, GroupPolicy policy, Set<String> members, List<String> hosts, int maxPerHost) {
    public ServerGroup {
        Objects.requireNonNull(policy, "policy");
        members = members == null ? Set.of() : Set.copyOf(members);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("maxPerHost must be at least 1");
        }
    }

    /** A group known by its members only. */
    public ServerGroup(String name, GroupPolicy policy, Set<String> members) {
        this(name, policy, members, List.of(), 1);
    }

    /** A group with the hosts the cloud reports for it, one member per host allowed. */
    public ServerGroup(String name, GroupPolicy policy, Set<String> members, Collection<String> hosts) {
        this(name, policy, members, hosts == null ? List.of() : List.copyOf(hosts), 1);
    }
}
