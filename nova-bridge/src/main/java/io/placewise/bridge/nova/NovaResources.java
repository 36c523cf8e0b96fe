package io.placewise.bridge.nova;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the bridge reads from Nova's answers (only the fields it uses). */
public final class NovaResources {
    private NovaResources() {
    }

    /**
     * One entry of {@code GET /os-hypervisors/detail}; {@code host} is the compute service's host
     * (the name Nova's scheduler and the external hook use). Capacities are physical totals; the
     * {@code *Used} fields are Nova's flavor-based allocations on the node (its resource tracker's
     * sum of instance and in-progress-migration flavors, plus {@code reserved_host_*}), null when
     * Nova does not report them (microversion 2.88 and later).
     */
    public record Hypervisor(String id, String hypervisorHostname, String host, String status, String state,
                             int vcpus, long memoryMb, long localGb, Integer vcpusUsed, Long memoryMbUsed,
                             Long localGbUsed) {
        public Hypervisor(String id, String hypervisorHostname, String host, String status, String state,
                          int vcpus, long memoryMb, long localGb) {
            this(id, hypervisorHostname, host, status, state, vcpus, memoryMb, localGb, null, null, null);
        }

        static Hypervisor from(JsonNode n) {
            return new Hypervisor(n.path("id").asText(), n.path("hypervisor_hostname").asText(null),
                    n.path("service").path("host").asText(null), n.path("status").asText(null), n.path("state").asText(null),
                    n.path("vcpus").asInt(0), n.path("memory_mb").asLong(0), n.path("local_gb").asLong(0),
                    n.hasNonNull("vcpus_used") ? n.get("vcpus_used").asInt() : null,
                    n.hasNonNull("memory_mb_used") ? n.get("memory_mb_used").asLong() : null,
                    n.hasNonNull("local_gb_used") ? n.get("local_gb_used").asLong() : null);
        }

        /** Enabled and up: Nova would schedule to it. */
        public boolean usable() {
            return !"disabled".equals(status) && !"down".equals(state);
        }
    }

    /** One server of {@code GET /servers/detail}, with its embedded flavor (microversion 2.47+). */
    public record Server(String id, String name, String status, String host, String taskState,
                         int vcpus, long ramMb, long diskGb, Map<String, String> extraSpecs) {
        static Server from(JsonNode n) {
            JsonNode f = n.path("flavor");
            Map<String, String> extra = new LinkedHashMap<>();
            f.path("extra_specs").fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
            return new Server(n.path("id").asText(), n.path("name").asText(null), n.path("status").asText(null),
                    n.path("OS-EXT-SRV-ATTR:host").asText(null), n.path("OS-EXT-STS:task_state").asText(null),
                    f.path("vcpus").asInt(0), f.path("ram").asLong(0),
                    f.path("disk").asLong(0) + f.path("ephemeral").asLong(0), Map.copyOf(extra));
        }
    }

    /**
     * One entry of {@code GET /os-server-groups}: its uuid, name, rule and member server uuids.
     * Before microversion 2.64 the rule is the one-element {@code policies} list.
     */
    public record ServerGroup(String id, String name, String policy, java.util.List<String> members) {
        static ServerGroup from(JsonNode n) {
            String policy = n.path("policy").asText(null);
            if (policy == null && n.path("policies").size() > 0) {
                policy = n.path("policies").get(0).asText(null);
            }
            java.util.List<String> members = new java.util.ArrayList<>();
            n.path("members").forEach(m -> members.add(m.asText()));
            return new ServerGroup(n.path("id").asText(), n.path("name").asText(null), policy, java.util.List.copyOf(members));
        }
    }

    /**
     * A live migration as {@code GET /servers/{id}/migrations} (in progress, with byte counters)
     * or {@code GET /os-migrations} (any status) shows it.
     */
    public record Migration(String id, String uuid, String status, String sourceCompute, String destCompute,
                            Long memoryTotalBytes, Long memoryProcessedBytes, Long memoryRemainingBytes,
                            Long diskTotalBytes, Long diskProcessedBytes, Long diskRemainingBytes, Instant createdAt) {
        static Migration from(JsonNode n) {
            return new Migration(n.path("id").asText(), n.path("uuid").asText(null), n.path("status").asText(null),
                    n.path("source_compute").asText(null), n.path("dest_compute").asText(null),
                    longOrNull(n, "memory_total_bytes"), longOrNull(n, "memory_processed_bytes"),
                    longOrNull(n, "memory_remaining_bytes"), longOrNull(n, "disk_total_bytes"),
                    longOrNull(n, "disk_processed_bytes"), longOrNull(n, "disk_remaining_bytes"),
                    instantOrNull(n.path("created_at").asText(null)));
        }

        /** Nova's numeric migration id; -1 when it is not a number. */
        public long numericId() {
            try {
                return Long.parseLong(id);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** Nova writes {@code 2016-01-29T13:42:02.000000} (UTC, no zone) or with an offset. */
        static Instant instantOrNull(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException e2) {
                    return null;
                }
            }
        }

        private static Long longOrNull(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asLong();
        }
    }
}
