package io.placewise.bridge.nova.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Nova's own notification samples (test resources {@code nova/notification_samples/}, copied from
 * Nova 26.2.2's {@code doc/notification_samples/}), with {@code $ref}s resolved as Nova's
 * {@code nova/tests/json_ref.py} does: the referenced file, resolved, updated recursively with the
 * rest of the referring object. {@link #envelope} wraps a message as oslo.messaging's
 * {@code messagingv2} driver puts it on the bus.
 */
public final class NovaSamples {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "nova/notification_samples/";

    private NovaSamples() {
    }

    /** The sample {@code name} (e.g. {@code instance-create-end}), resolved: event_type, payload, priority, publisher_id. */
    public static ObjectNode sample(String name) {
        return (ObjectNode) resolve(load(name + ".json"), "");
    }

    /** The sample with fields of its payload's {@code nova_object.data} replaced (e.g. uuid, host). */
    public static ObjectNode sample(String name, Map<String, ?> data) {
        ObjectNode s = sample(name);
        ObjectNode d = (ObjectNode) s.get("payload").get("nova_object.data");
        data.forEach((k, v) -> d.set(k, JSON.valueToTree(v)));
        return s;
    }

    /** The payload's flavor data of an instance sample, to change sizes or extra specs. */
    public static ObjectNode flavor(ObjectNode sample) {
        return (ObjectNode) sample.get("payload").get("nova_object.data").get("flavor").get("nova_object.data");
    }

    /** {@code {"oslo.version": "2.0", "oslo.message": "<message JSON>"}} with a message id and timestamp, as bytes. */
    public static byte[] envelope(ObjectNode message) {
        ObjectNode m = message.deepCopy();
        m.put("message_id", UUID.randomUUID().toString());
        m.put("timestamp", "2026-12-01 17:08:41.575275");
        ObjectNode env = JSON.createObjectNode();
        env.put("oslo.version", "2.0");
        env.put("oslo.message", m.toString());
        return env.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode load(String path) {
        try (InputStream in = NovaSamples.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no Nova sample " + ROOT + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode resolve(JsonNode node, String base) {
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, resolve(a.get(i), base));
            }
            return a;
        }
        if (node instanceof ObjectNode o) {
            if (o.has("$ref")) {
                String ref = o.remove("$ref").asText();
                String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
                String path = normalise(base + file);
                String refBase = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
                JsonNode resolved = resolve(load(path), refBase);
                JsonNode overrides = resolve(o, base);
                update((ObjectNode) resolved, (ObjectNode) overrides);
                return resolved;
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                o.set(k, resolve(o.get(k), base));
            }
            return o;
        }
        return node;
    }

    private static void update(ObjectNode d, ObjectNode update) {
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode old = d.get(e.getKey());
            if (old instanceof ObjectNode oo && e.getValue() instanceof ObjectNode uo) {
                update(oo, uo);
            } else {
                d.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String normalise(String path) {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.equals("..")) {
                out.remove(out.size() - 1);
            } else if (!p.isEmpty() && !p.equals(".")) {
                out.add(p);
            }
        }
        return String.join("/", out);
    }
}
