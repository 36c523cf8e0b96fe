package io.placewise.model;

import java.util.Objects;
import java.util.Set;

/**
 * The server group of the VM being placed; {@code members} are VM ids already in the group.
 * {@code hosts} are hosts the cloud reports as holding members (Nova's {@code InstanceGroup.hosts}),
 * which counts even when Placewise has not been told about those members.
 */
public record ServerGroup(String name, GroupPolicy policy, Set<String> members, Set<String> hosts) {
    public ServerGroup {
        Objects.requireNonNull(policy, "policy");
        members = members == null ? Set.of() : Set.copyOf(members);
        hosts = hosts == null ? Set.of() : Set.copyOf(hosts);
    }

    /** A group known by its members only. */
    public ServerGroup(String name, GroupPolicy policy, Set<String> members) {
        this(name, policy, members, Set.of());
    }
}
