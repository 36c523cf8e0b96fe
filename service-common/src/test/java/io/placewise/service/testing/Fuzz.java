package io.placewise.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The fuzz suite's request maker and judge, shared by the bridge's and the agent's properties.
 * A request starts from a valid one of API.md and is mutated the way a careless or hostile client
 * would: a value replaced by an edge case (1e400, -1, 2^63, "", 3,000 characters, control
 * characters, the wrong type), a field dropped or invented, the JSON cut short, the path mangled,
 * the token dropped. Every answer is judged: never 5xx, every 4xx problem+json, and a rejected
 * request changes nothing stored.
 */
public final class Fuzz {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    /** A valid request of API.md; {@code body} null when it has none. */
    public record Template(String method, String path, String body) {
    }

    /** One generated request. */
    public record Request(String method, String target, String token, String contentType, byte[] body, String origin) {
        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " token=" + token + " type=" + contentType + " body="
                    + (b.length() > 400 ? b.substring(0, 400) + "…" : b) + " (from " + origin + ")";
        }
    }

    private static final Object[] EDGES = {1e308, -1e308, -1, 0, 1, 2147483648L, -2147483649L, 9223372036854775807L,
            1.5, 0.0000001, "", "x".repeat(3000), "disk,llc", "line\nbreak\r\u0000\u001b[2J", "ü€😀", "null", "NaN",
            "Infinity", "+999999999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "pm1", "db1", "vm1",
            "qemu+tcp://x/system", true, false, null};
    private static final String[] OVERFLOWS = {"1e400", "-1e400", "1e309", "123456789012345678901234567890", "-0", "1E-400"};

    private final List<Template> templates;
    private final List<String> tokens;
    private final Judge judge;

    /**
     * @param tokens the tokens a request may carry, the first (most used) one with every role; null
     *               stands for no token
     */
    public Fuzz(List<Template> templates, List<String> tokens, Judge judge) {
        this.templates = templates;
        this.tokens = tokens;
        this.judge = judge;
    }

    /** Where the fuzzer's choices come from: Jazzer's FuzzedDataProvider (coverage-guided) or a seeded Random. */
    @FunctionalInterface
    public interface Choices {
        /** A number in [0, bound). */
        int nextInt(int bound);
    }

    /** A request from {@code random}: one template, then zero to three mutations. */
    public Request next(Choices random) {
        Template t = templates.get(random.nextInt(templates.size()));
        String method = t.method();
        String target = t.path();
        String type = t.body() == null ? null : "application/json";
        String token = random.nextInt(10) < 8 ? tokens.get(0) : tokens.get(random.nextInt(tokens.size()));
        JsonNode body = t.body() == null ? null : parse(t.body());
        String text = null;
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int what = random.nextInt(100);
            if (body != null && what < 60) {
                body = mutate(body, random);
            } else if (what < 68) {
                target = mangle(target, random);
            } else if (what < 72) {
                method = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FROB").get(random.nextInt(9));
            } else if (what < 76) {
                type = List.of("text/plain", "application/xml", "application/json; charset=latin1", "").get(random.nextInt(4));
            } else if (what < 84 && (body != null || t.body() != null)) {
                String s = body == null ? t.body() : body.toString();
                text = s.substring(0, random.nextInt(Math.max(1, s.length())));
            } else if (what < 90 && body != null) {
                // a number that overflows a double, spliced in as raw text (a JSON tree cannot hold it)
                String s = body.toString();
                text = s.replaceFirst("(?<=[:\\[,])\\s*-?\\d+(\\.\\d+)?(?=[,}\\]])", OVERFLOWS[random.nextInt(OVERFLOWS.length)]);
            } else if (what < 93) {
                text = List.of("", "null", "[]", "{}", "\"x\"", "{\"a\":", "{{}", "\u0000").get(random.nextInt(8));
            } else {
                token = tokens.get(random.nextInt(tokens.size()));
            }
        }
        byte[] bytes = text != null ? text.getBytes(StandardCharsets.UTF_8)
                : body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        return new Request(method, target, token, type, bytes, t.method() + " " + t.path());
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException("template body is not JSON: " + s, e);
        }
    }

    /** The tree with one node changed. */
    static JsonNode mutate(JsonNode root, Choices random) {
        JsonNode copy = root.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(copy, containers);
        if (containers.isEmpty()) {
            return edge(random);
        }
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        int op = random.nextInt(10);
        if (parent instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (op == 0 || names.isEmpty()) {
                o.set(List.of("unknown_field", "extra", "Name", "").get(random.nextInt(4)), edge(random));
            } else {
                String name = names.get(random.nextInt(names.size()));
                if (op == 1) {
                    o.remove(name);
                } else if (op == 2) {
                    o.set(name, N.arrayNode().add(o.get(name)));
                } else {
                    o.set(name, edge(random));
                }
            }
        } else if (parent instanceof ArrayNode a) {
            if (op < 2 && a.size() > 0) {
                a.remove(random.nextInt(a.size()));
            } else if (op < 4 && a.size() > 0) {
                a.add(a.get(random.nextInt(a.size())).deepCopy());
            } else if (a.size() > 0) {
                a.set(random.nextInt(a.size()), edge(random));
            } else {
                a.add(edge(random));
            }
        }
        return copy;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    static JsonNode edge(Choices random) {
        Object v = EDGES[random.nextInt(EDGES.length)];
        return v == null ? N.nullNode() : JSON.valueToTree(v);
    }

    static String mangle(String path, Choices random) {
        return switch (random.nextInt(8)) {
            case 0 -> path + "%";
            case 1 -> path + "/%zz";
            case 2 -> path.replaceFirst("/v1", "/v1;x=1");
            case 3 -> path + "/" + "s".repeat(random.nextInt(10_000));
            case 4 -> path + "?q=" + "%41".repeat(random.nextInt(100));
            case 5 -> path.replace("/", "//");
            case 6 -> path + "/..%2F..%2Fetc";
            default -> path + "/\\";
        };
    }

    /** Sends a request and returns its answer. */
    public interface Transport {
        RawHttp.Reply send(Request r) throws IOException;
    }

    /**
     * Counts and the first violations. {@code state} fingerprints what is stored (compared around a
     * rejected request).
     */
    public static final class Judge {
        public final AtomicLong requests = new AtomicLong();
        public final AtomicLong fivexx = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final Map<Integer, AtomicLong> byStatus = new java.util.concurrent.ConcurrentSkipListMap<>();
        public final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        private final Supplier<String> state;

        public Judge(Supplier<String> state) {
            this.state = state;
        }

        public void check(Request r, Transport transport) {
            String before = state.get();
            RawHttp.Reply reply;
            try {
                reply = transport.send(r);
            } catch (IOException e) {
                violate("no answer (" + e + ") to " + r);
                return;
            }
            requests.incrementAndGet();
            byStatus.computeIfAbsent(reply.status(), k -> new AtomicLong()).incrementAndGet();
            if (reply.status() >= 500) {
                fivexx.incrementAndGet();
                violate(reply.status() + " to " + r + " -> " + reply.body());
                return;
            }
            if (reply.status() >= 400) {
                rejected.incrementAndGet();
                if (!"HEAD".equals(r.method()) && !reply.isProblem()) {
                    violate("not problem+json: " + reply + " to " + r);
                }
                if (!before.equals(state.get())) {
                    violate("state changed by a rejected request: " + reply + " to " + r);
                }
            }
        }

        private void violate(String what) {
            if (violations.size() < 50) {
                violations.add(what);
            }
        }

        public String summary(String service) {
            return "fuzz (" + service + "): " + requests.get() + " requests, " + fivexx.get() + " answers 5xx, "
                    + rejected.get() + " rejected (4xx), by status " + byStatus;
        }
    }

    /** Sends {@code r} as raw bytes to {@code port}. */
    public static RawHttp.Reply send(int port, Request r) throws IOException {
        StringBuilder head = new StringBuilder(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (r.token() != null) {
            head.append("X-Auth-Token: ").append(r.token()).append("\r\n");
        }
        if (r.contentType() != null && !r.contentType().isEmpty()) {
            head.append("Content-Type: ").append(r.contentType()).append("\r\n");
        }
        if (r.body() != null) {
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(port, h, r.body());
    }
}
