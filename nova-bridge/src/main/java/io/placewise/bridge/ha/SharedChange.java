package io.placewise.bridge.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one bridge changed in the shared database, as the others need to know it to reload only that:
 * host rows by name, server-group policies, policy overrides by name, the history records, executed or
 * cancelled plans by audit id. A set that is null means "all of that kind" (too many to name).
 */
public record SharedChange(Set<String> hosts, boolean groups, Set<String> policies, boolean history, Set<String> plans) {
    /** Nothing changed. */
    public static final SharedChange NONE = new SharedChange(Set.of(), false, Set.of(), false, Set.of());
    /** Everything may have changed (a listener that was disconnected missed notifications). */
    public static final SharedChange EVERYTHING = new SharedChange(null, true, null, true, null);
    /** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7900;
    /** Beyond this many notifications for one transaction, the others reload all hosts instead. */
    static final int MAX_NOTIFICATIONS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    public SharedChange {
        hosts = hosts == null ? null : Set.copyOf(hosts);
        policies = policies == null ? null : Set.copyOf(policies);
        plans = plans == null ? null : Set.copyOf(plans);
    }

    public static SharedChange hosts(Collection<String> names, boolean groups) {
        return new SharedChange(Set.copyOf(names), groups, Set.of(), false, Set.of());
    }

    public static SharedChange policy(String name) {
        return new SharedChange(Set.of(), false, Set.of(name), false, Set.of());
    }

    public static SharedChange historyChanged() {
        return new SharedChange(Set.of(), false, Set.of(), true, Set.of());
    }

    public static SharedChange plan(String auditId) {
        return new SharedChange(Set.of(), false, Set.of(), false, Set.of(auditId));
    }

    public boolean isEmpty() {
        return hosts != null && hosts.isEmpty() && !groups && policies != null && policies.isEmpty() && !history
                && plans != null && plans.isEmpty();
    }

    /** Both changes. */
    public SharedChange and(SharedChange o) {
        return new SharedChange(union(hosts, o.hosts), groups || o.groups, union(policies, o.policies), history || o.history,
                union(plans, o.plans));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (a == null || b == null) {
            return null;
        }
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    // ---- on the wire: NOTIFY payloads --------------------------------------------------------------

    /**
     * The NOTIFY payloads saying this change, from {@code instance}: one, or the host names spread over
     * several when they do not fit in one; "all hosts" when they would need more than {@link #MAX_NOTIFICATIONS}.
     */
    List<String> payloads(String instance) {
        String one = encode(instance, hosts, true);
        if (bytes(one) <= MAX_PAYLOAD_BYTES) {
            return List.of(one);
        }
        List<String> out = new ArrayList<>();
        out.add(encode(instance, Set.of(), true));
        List<String> names = new ArrayList<>(hosts);
        List<String> chunk = new ArrayList<>();
        int size = 0;
        for (String n : names) {
            int b = bytes(n) * 2 + 4;
            if (size + b > MAX_PAYLOAD_BYTES - 200 && !chunk.isEmpty()) {
                out.add(encode(instance, chunk, false));
                chunk = new ArrayList<>();
                size = 0;
            }
            chunk.add(n);
            size += b;
        }
        if (!chunk.isEmpty()) {
            out.add(encode(instance, chunk, false));
        }
        if (out.size() > MAX_NOTIFICATIONS || out.stream().anyMatch(p -> bytes(p) > MAX_PAYLOAD_BYTES)) {
            // Reload everything of that kind rather than fail the transaction.
            return List.of(new SharedChange(null, groups, policies, history, plans).encodeSmall(instance));
        }
        return out;
    }

    private String encodeSmall(String instance) {
        String p = encode(instance, hosts, true);
        return bytes(p) <= MAX_PAYLOAD_BYTES ? p : EVERYTHING.encode(instance, null, true);
    }

    private String encode(String instance, Collection<String> hostNames, boolean rest) {
        ObjectNode o = JSON.createObjectNode().put("from", instance);
        names(o, "hosts", hostNames);
        if (rest) {
            if (groups) {
                o.put("groups", true);
            }
            names(o, "policies", policies);
            if (history) {
                o.put("history", true);
            }
            names(o, "plans", plans);
        }
        return o.toString();
    }

    private static void names(ObjectNode o, String field, Collection<String> names) {
        if (names == null) {
            o.put(field, "*");
        } else if (!names.isEmpty()) {
            names.forEach(o.putArray(field)::add);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A payload read back: who sent it, and the change; an unreadable payload means "everything". */
    record Received(String from, SharedChange change) {
    }

    static Received decode(String payload) {
        try {
            JsonNode o = JSON.readTree(payload);
            return new Received(o.path("from").asText(""), new SharedChange(read(o.get("hosts")), o.path("groups").asBoolean(),
                    read(o.get("policies")), o.path("history").asBoolean(), read(o.get("plans"))));
        } catch (java.io.IOException | RuntimeException e) {
            return new Received("", EVERYTHING);
        }
    }

    private static Set<String> read(JsonNode n) {
        if (n == null || n.isNull()) {
            return Set.of();
        }
        if (n.isTextual()) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }
}
