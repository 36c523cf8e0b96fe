package io.placewise.bridge.novasemantics;

import java.util.List;

/**
 * A request's {@code InstanceGroup}: its members (the instance being scheduled included, as Nova adds
 * it first), the service hosts Nova reports for them (a host once per member placed by this request),
 * and {@code max_server_per_host} from its rules (null: Nova's default of 1).
 */
public record NovaServerGroup(String uuid, String name, String policy, List<String> members, List<String> hosts,
                              Integer maxServerPerHost) {
    public NovaServerGroup {
        members = members == null ? List.of() : List.copyOf(members);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
