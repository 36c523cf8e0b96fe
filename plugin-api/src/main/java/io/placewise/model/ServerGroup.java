package io.placewise.model;

import java.util.Objects;
import java.util.Set;

/** The server group of the VM being placed; {@code members} are VM ids already in the group. */
public record ServerGroup(String name, GroupPolicy policy, Set<String> members) {
    public ServerGroup {
        Objects.requireNonNull(policy, "policy");
        members = members == null ? Set.of() : Set.copyOf(members);
    }
}
