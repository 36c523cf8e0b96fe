package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import jakarta.ws.rs.Path;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The running bridge against its own OpenAPI document ({@code GET /openapi.json}): every JAX-RS resource
 * method is documented, every documented operation answers with a documented status, and every answer,
 * error answers included, validates against the schema documented for it. The requests are the document's
 * own examples, so the examples are checked too. A resource added without documentation fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private CompletingAgent agent;
    private Bridge bridge;
    private JsonNode doc;

    @BeforeAll
    void start() throws Exception {
        agent = new CompletingAgent();
        bridge = new Bridge(Files.createTempDirectory("openapi-contract"), agent.balancer());
        Bridge.Reply r = bridge.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        doc = r.body();
    }

    @AfterAll
    void stop() {
        bridge.close();
        agent.close();
    }

    @Test
    void isOpenApi31WithAnOperationIdAndRoleOnEveryOperation() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> ids = new TreeSet<>();
        operations().forEach(op -> {
            assertThat(op.node().path("operationId").asText()).as(op.toString()).isNotEmpty();
            assertThat(ids.add(op.node().get("operationId").asText())).as("unique operationId " + op).isTrue();
            assertThat(op.node().path("x-placewise-role").asText()).as(op.toString()).isIn("open", "reader", "service", "admin");
            assertThat(op.node().path("responses").size()).as(op.toString()).isPositive();
        });
    }

    @Test
    void everyResourceMethodOfTheBridgeIsDocumented() {
        Set<String> served = new TreeSet<>();
        Stream.concat(bridge.server().application().getInstances().stream().map(Object::getClass),
                        bridge.server().application().getClasses().stream())
                .filter(c -> c.isAnnotationPresent(Path.class))
                .forEach(c -> collect(Resource.from(c), "", served));
        assertThat(served).contains("GET /v1/cluster", "POST /v1/select", "GET /openapi.json");
        Set<String> documented = new TreeSet<>();
        operations().forEach(op -> documented.add(op.method().toUpperCase() + " " + normal(op.path())));
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        assertThat(missing).as("resource methods missing from openapi/placewise-bridge.yaml").isEmpty();
        Set<String> ghosts = new TreeSet<>(documented);
        ghosts.removeAll(served);
        assertThat(ghosts).as("documented operations no resource serves").isEmpty();
    }

    private static void collect(Resource r, String prefix, Set<String> out) {
        String path = prefix + "/" + r.getPath();
        for (ResourceMethod m : r.getResourceMethods()) {
            out.add(m.getHttpMethod() + " " + normal(path));
        }
        for (Resource child : r.getChildResources()) {
            collect(child, path, out);
        }
    }

    /** One spelling for a path: single slashes, no trailing one, {@code {name: regex}} as {@code {name}}. */
    private static String normal(String path) {
        String p = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Test
    void everyExampleValidatesAgainstItsRequestSchema() {
        operations().forEach(op -> {
            JsonNode media = requestMedia(op);
            if (media != null) {
                assertThat(media.has("example")).as("example request body of " + op).isTrue();
                assertThat(errors(media.get("schema"), media.get("example"))).as("example of " + op).isEmpty();
            }
        });
    }

    /**
     * Each operation with its own example and the least role it documents, in an order that builds the
     * state the next needs (cluster, then samples, audits, execution, migrations).
     */
    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        List<Op> ops = operations().sorted((a, b) -> Integer.compare(rank(a), rank(b))).toList();
        Map<String, String> ids = new LinkedHashMap<>();
        for (Op op : ops) {
            if (op.path().equals("/v1/migrations/{id}") && !ids.containsKey("migration")) {
                // The audit's plan has been executed by now; its first step is the migration to show.
                await().atMost(Duration.ofSeconds(20)).until(() -> bridge.get("/v1/migrations", Bridge.READER).body()
                        .findValues("state").stream().anyMatch(s -> s.asText().equals("completed")));
                ids.put("migration", bridge.get("/v1/migrations", Bridge.READER).body().get(0).get("id").asText());
            }
            String path = concrete(op.path(), ids);
            if (op.path().equals("/v1/audits/{id}/cancel")) {
                // The executed audit may be over by now: cancel a fresh one, which then is never executed.
                String fresh = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\"}").body().get("id").asText();
                path = "/v1/audits/" + fresh + "/cancel";
            }
            JsonNode media = requestMedia(op);
            String body = media == null ? null : media.get("example").toString();
            Bridge.Reply r = bridge.send(op.method().toUpperCase(), path, token(op.role()), body);
            assertDocumented(op, r);
            int expected = op.path().equals("/v1/cluster/sync") ? 503 : op.path().equals("/dashboard") ? 308 : -1;
            if (expected > 0) {
                assertThat(r.status()).as(op + " " + r.text()).isEqualTo(expected);
            } else {
                assertThat(r.status()).as(op + " " + r.text()).isBetween(200, 299);
            }
            if (op.path().equals("/v1/audits") && op.method().equals("post")) {
                ids.put("audit", r.body().get("id").asText());
                assertThat(r.body().get("plan").size()).as("the example cluster needs balancing").isPositive();
            }
        }
    }

    /** No token, the role below the one documented, and a malformed body: each refusal is documented and validates. */
    @Test
    void refusalsAreDocumentedProblems() throws Exception {
        for (Op op : operations().toList()) {
            if (op.role().equals("open")) {
                continue;
            }
            String path = concrete(op.path(), Map.of("audit", "no-such-audit", "migration", "no-such-migration"));
            Bridge.Reply anonymous = bridge.send(op.method().toUpperCase(), path, null, null);
            assertThat(anonymous.status()).as(op.toString()).isEqualTo(401);
            assertDocumented(op, anonymous);
            String below = op.role().equals("admin") ? Bridge.SERVICE : op.role().equals("service") ? Bridge.READER : null;
            JsonNode media = requestMedia(op);
            if (below != null) {
                Bridge.Reply refused = bridge.send(op.method().toUpperCase(), path, below,
                        media == null ? null : media.get("example").toString());
                assertThat(refused.status()).as(op.toString()).isEqualTo(403);
                assertDocumented(op, refused);
            }
            if (media != null) {
                Bridge.Reply malformed = bridge.send(op.method().toUpperCase(), path, Bridge.ADMIN, "{\"truncated\": ");
                assertThat(malformed.status()).as(op + " " + malformed.text()).isEqualTo(400);
                assertDocumented(op, malformed);
            }
        }
        Bridge.Reply unknown = bridge.get("/v1/hosts/no-such-host", Bridge.READER);
        assertThat(unknown.status()).isEqualTo(404);
        assertDocumented(operations().filter(o -> o.path().equals("/v1/hosts/{name}")).findFirst().orElseThrow(), unknown);
    }

    private void assertDocumented(Op op, Bridge.Reply r) {
        JsonNode response = resolve(op.node().path("responses").path(Integer.toString(r.status())));
        assertThat(response.isMissingNode()).as(op + " answered " + r.status() + ", which is not documented: " + r.text()).isFalse();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || r.contentType() == null) {
            return;
        }
        String type = r.contentType().split(";")[0].trim();
        JsonNode media = content.path(type);
        assertThat(media.isMissingNode()).as(op + " " + r.status() + " answered " + type + ", documented " + content.fieldNames().next())
                .isFalse();
        if (type.endsWith("json")) {
            assertThat(errors(media.get("schema"), r.body())).as(op + " " + r.status() + " answer " + r.text()).isEmpty();
        }
    }

    private Set<ValidationMessage> errors(JsonNode schema, JsonNode instance) {
        // Local $refs (#/components/...) resolve against the document, so the schema carries the components along.
        ObjectNode rooted = schema.deepCopy();
        rooted.set("components", doc.get("components"));
        JsonSchema s = SCHEMAS.getSchema(rooted, STRICT);
        return s.validate(instance == null ? Bridge.JSON.nullNode() : instance);
    }

    private JsonNode requestMedia(Op op) {
        JsonNode body = resolve(op.node().path("requestBody"));
        JsonNode media = body.path("content").path("application/json");
        return media.isMissingNode() ? null : media;
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode n = doc;
            for (String p : parts) {
                n = n.path(p);
            }
            node = n;
        }
        return node;
    }

    private static String token(String role) {
        return switch (role) {
            case "open" -> null;
            case "reader" -> Bridge.READER;
            case "service" -> Bridge.SERVICE;
            default -> Bridge.ADMIN;
        };
    }

    private static String concrete(String path, Map<String, String> ids) {
        String id = path.startsWith("/v1/migrations") ? ids.getOrDefault("migration", "none") : ids.getOrDefault("audit", "none");
        return path.replace("{name}", path.startsWith("/v1/policies") ? "BalanceWeigher" : "pm1")
                .replace("{file}", "index.html").replace("{id}", id);
    }

    /** Writes first where later calls depend on them: the cluster, then samples, audits, their execution. */
    private static int rank(Op op) {
        String k = op.method() + " " + op.path();
        List<String> first = List.of("put /v1/cluster", "post /v1/hosts/{name}/samples", "post /v1/audits",
                "post /v1/audits/{id}/execute", "get /v1/migrations/{id}");
        int i = first.indexOf(k);
        return i >= 0 ? i : first.size();
    }

    record Op(String method, String path, JsonNode node) {
        String role() {
            return node.path("x-placewise-role").asText();
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private Stream<Op> operations() {
        List<Op> out = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                out.add(new Op(m.getKey(), p.getKey(), m.getValue()));
            }
        }));
        return out.stream();
    }
}
