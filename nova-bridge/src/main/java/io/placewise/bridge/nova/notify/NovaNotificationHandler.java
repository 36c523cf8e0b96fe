package io.placewise.bridge.nova.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.bridge.nova.NovaClient;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.bridge.nova.NovaStateApplier;
import io.placewise.bridge.nova.NovaStateApplier.Outcome;
import io.placewise.model.GroupPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one of Nova's versioned notifications, as oslo.messaging puts it on the bus, into a change
 * of the bridge's cluster (the events Watcher's nova cluster data model follows):
 * <ul>
 * <li>{@code instance.create.end}, {@code instance.live_migration_post_dest.end},
 *     {@code instance.resize_confirm.end}: the server is on the payload's {@code host} with the
 *     payload's flavor (added, moved or resized);</li>
 * <li>{@code instance.live_migration_post.end}: sent by the source once the destination has taken
 *     the server; its payload still names the source, so a server the bridge still has there is
 *     looked up in Nova's API (when configured) and placed where Nova has it;</li>
 * <li>{@code instance.delete.end}: the server is gone;</li>
 * <li>{@code server_group.create} / {@code server_group.add_member} (both carry the whole group) and
 *     {@code server_group.delete}: the group's policy and members.</li>
 * </ul>
 * The envelope is oslo.messaging's ({@code {"oslo.version": "2.0", "oslo.message": "<JSON>"}}); a
 * bare message (the un-enveloped driver) is accepted too. Anything else is malformed: logged
 * escaped, counted, and never thrown.
 */
public final class NovaNotificationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NovaNotificationHandler.class);
    static final String METRIC = "placewise.nova.notifications";
    static final Set<String> SERVER_AT = Set.of("instance.create.end", "instance.live_migration_post_dest.end",
            "instance.resize_confirm.end");
    static final Set<String> HANDLED = Set.of("instance.create.end", "instance.live_migration_post_dest.end",
            "instance.resize_confirm.end", "instance.live_migration_post.end", "instance.delete.end",
            "server_group.create", "server_group.add_member", "server_group.delete");

    private final NovaStateApplier applier;
    private final NovaClient nova;
    private final MeterRegistry metrics;
    private final ObjectMapper json = new ObjectMapper();

    /** @param nova Nova's API for {@code live_migration_post.end}; null when {@code [nova] auth_url} is not set */
    public NovaNotificationHandler(NovaStateApplier applier, NovaClient nova, MeterRegistry metrics) {
        this.applier = applier;
        this.nova = nova;
        this.metrics = metrics;
    }

    /** A message that is not a notification the bridge can read. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why);
        }
    }

    /** Handles one message body; returns the outcome it counted (applied, unchanged, ignored, unknown_host, malformed, failed). */
    public String handle(byte[] body) {
        String event = "unknown";
        String outcome;
        try {
            JsonNode message = message(body);
            event = text(message, "event_type");
            if (event == null) {
                throw new Malformed("no event_type");
            }
            outcome = HANDLED.contains(event) ? dispatch(event, data(message.get("payload"))) : "ignored";
        } catch (Malformed e) {
            outcome = "malformed";
            LOG.warn("Nova notification ignored, malformed ({}): {}", LogSafe.escape(e.getMessage()),
                    LogSafe.escape(new String(body, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            outcome = "failed";
            LOG.warn("Nova notification {} not applied ({}); the next sync repairs it", LogSafe.escape(event),
                    LogSafe.escape(e.toString()));
        }
        metrics.counter(METRIC, "event", HANDLED.contains(event) ? event : "other", "outcome", outcome).increment();
        if (outcome.equals("unknown_host")) {
            LOG.info("Nova notification {} names a host the bridge does not have; the next sync brings it", event);
        } else if (!outcome.equals("ignored")) {
            LOG.debug("Nova notification {}: {}", event, outcome);
        }
        return outcome;
    }

    private String dispatch(String event, JsonNode data) throws Malformed {
        if (event.startsWith("server_group.")) {
            String id = required(data, "uuid");
            if (event.equals("server_group.delete")) {
                return outcome(applier.groupGone(id));
            }
            String policyText = text(data, "policy");
            if (policyText == null && data.path("policies").isArray() && data.path("policies").size() > 0) {
                policyText = data.path("policies").get(0).asText(null);
            }
            Optional<GroupPolicy> policy = policyText == null ? Optional.empty() : GroupPolicy.fromWire(policyText);
            if (policy.isEmpty()) {
                throw new Malformed("server group " + id + " has no policy Placewise knows: " + policyText);
            }
            List<String> members = new ArrayList<>();
            JsonNode m = data.path("members");
            if (!m.isMissingNode() && !m.isNull() && !m.isArray()) {
                throw new Malformed("members is not a list");
            }
            m.forEach(x -> members.add(x.asText()));
            return outcome(applier.groupDefined(id, policy.get(), members));
        }
        String uuid = required(data, "uuid");
        if (event.equals("instance.delete.end")) {
            return outcome(applier.serverGone(uuid));
        }
        String host = text(data, "host");
        if (event.equals("instance.live_migration_post.end")) {
            if (host == null || !host.equals(applier.hostOf(uuid))) {
                return "unchanged"; // post_dest.end has moved it already (or the bridge never had it there)
            }
            if (nova == null) {
                return "deferred"; // where it went is in Nova's API only; the next sync places it
            }
            Optional<Server> s = nova.server(uuid);
            return s.isEmpty() || s.get().host() == null ? "unchanged" : outcome(applier.serverAt(s.get()));
        }
        if (host == null) {
            return "ignored"; // not on a host (yet)
        }
        return outcome(applier.serverAt(server(uuid, host, data)));
    }

    /** The server of an InstancePayload, sized by its FlavorPayload (disk = root + ephemeral, as the API sync). */
    private static Server server(String uuid, String host, JsonNode data) throws Malformed {
        JsonNode flavor = data("flavor", data.get("flavor"));
        int vcpus = integer(flavor, "vcpus");
        long memory = integer(flavor, "memory_mb");
        long disk = flavor.path("root_gb").asLong(0) + flavor.path("ephemeral_gb").asLong(0);
        Map<String, String> extra = new LinkedHashMap<>();
        JsonNode specs = flavor.path("extra_specs");
        if (specs.isObject()) {
            specs.fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
        }
        return new Server(uuid, text(data, "display_name"), text(data, "state"), host, text(data, "task_state"),
                vcpus, memory, disk, Map.copyOf(extra));
    }

    private JsonNode message(byte[] body) throws Malformed {
        JsonNode root = parse(body.length == 0 ? "" : new String(body, StandardCharsets.UTF_8));
        if (root.has("oslo.message")) {
            JsonNode inner = root.get("oslo.message");
            if (!inner.isTextual()) {
                throw new Malformed("oslo.message is not a string");
            }
            root = parse(inner.asText());
        }
        if (!root.isObject()) {
            throw new Malformed("not a JSON object");
        }
        return root;
    }

    private JsonNode parse(String text) throws Malformed {
        try {
            JsonNode n = json.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new Malformed("empty message");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Malformed("not JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode data(JsonNode payload) throws Malformed {
        return data("payload", payload);
    }

    /** The {@code nova_object.data} of a versioned object. */
    private static JsonNode data(String what, JsonNode object) throws Malformed {
        if (object == null || !object.isObject() || !object.path("nova_object.data").isObject()) {
            throw new Malformed(what + " is not a versioned Nova object (no nova_object.data)");
        }
        return object.get("nova_object.data");
    }

    private static String required(JsonNode data, String field) throws Malformed {
        String v = text(data, field);
        if (v == null || v.isBlank()) {
            throw new Malformed("payload has no " + field);
        }
        return v;
    }

    private static int integer(JsonNode data, String field) throws Malformed {
        JsonNode v = data.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() < 0) {
            throw new Malformed("flavor " + field + " is not a non-negative integer");
        }
        return v.asInt();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static String outcome(Outcome o) {
        return switch (o) {
            case APPLIED -> "applied";
            case UNCHANGED -> "unchanged";
            case UNKNOWN_HOST -> "unknown_host";
        };
    }
}
