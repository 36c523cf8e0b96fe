package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.service.http.OpenApiResource;
import io.placewise.service.testing.JsonHttp;
import io.placewise.service.testing.OpenApiContract;
import io.placewise.service.testing.OpenApiContract.Op;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The running agent (its REST stack, H2 file and migration runner, on a scripted host) against its
 * own OpenAPI document ({@code GET /openapi.json}): every resource method is documented with its
 * role and nothing else is, every documented operation called with the document's own example
 * answers a documented 2xx, every answer (errors included) validates against its documented schema,
 * and every limit the document states for a request field is the agent's: at the limit the agent
 * goes on, one step beyond it answers 422 naming the field. A resource or a constraint changed
 * without the document fails here. The packaged agent on libvirt's test driver: {@code LauncherIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentOpenApiContractTest {
    /** The agent's paths in API.md "Migrator agent" (and /healthz, /metrics, /openapi.json). */
    static final Set<String> API_MD = Set.of("POST /v1/migrations", "GET /v1/migrations/{id}", "DELETE /v1/migrations/{id}",
            "GET /v1/stats", "POST /v1/domains/{domain}/memory", "GET /healthz", "GET /openapi.json");
    private static final String FILE = "migrator/src/main/resources/openapi/placewise-migrator.yaml";

    private ScriptedHypervisor host;
    private Agent agent;
    private OpenApiContract contract;

    @BeforeAll
    void start() throws Exception {
        host = new ScriptedHypervisor();
        host.add("vm1", 0);                    // the example order's domain: converges at once
        host.add("vm2", 10_000);               // never converges: running until aborted
        host.add("vm3", 0);                    // queued behind vm2
        host.add("vm4", 0).memoryMib = 2048;   // the balloon's domain
        ScriptedHypervisor.Dom noBalloon = host.add("vm5", 0);
        noBalloon.memoryMib = 2048;
        noBalloon.balloonDevice = false;
        // A small body limit, so that 413 is reachable.
        agent = new Agent(Files.createTempDirectory("agent-openapi"), host, Map.of("http", Map.of("max_body_bytes", "2048")));
        Agent.Reply r = agent.send("GET", "/openapi.json", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        contract = new OpenApiContract(r.body());
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void theDocumentIsTheShippedOneAndCoversApiMd() {
        assertThat(contract.document()).isEqualTo(OpenApiResource.load(io.placewise.migrator.agent.AgentServer.DOCUMENT));
        contract.assertWellFormed();
        Set<String> documented = new TreeSet<>();
        contract.operations().forEach(op -> documented.add(op.key()));
        assertThat(documented).containsAll(API_MD);
        assertThat(contract.document().at("/components/securitySchemes/token/name").asText()).isEqualTo("X-Auth-Token");
    }

    @Test
    void everyResourceMethodOfTheAgentIsDocumentedWithItsRole() {
        Set<String> served = OpenApiContract.served(agent.resourceClasses());
        assertThat(served).containsAll(API_MD);
        contract.assertDocumentsExactly(served, FILE);
        contract.assertRolesMatch(agent.resourceClasses());
    }

    @Test
    void everyExampleValidatesAgainstItsRequestSchema() {
        contract.assertExamplesValidate();
    }

    /**
     * Each operation with its own example and the least role it documents answers a documented 2xx.
     * An order of the example (vm1) completes; a running migration (vm2) is aborted (202) and one
     * still queued behind it (vm3) is aborted before it starts (200); the balloon grows vm4.
     */
    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        String completed = null;
        List<String> called = new ArrayList<>();
        List<Op> ops = new ArrayList<>(contract.operations());
        // The order first: showing and listing need a migration.
        ops.sort((a, b) -> Boolean.compare(!a.key().equals("POST /v1/migrations"), !b.key().equals("POST /v1/migrations")));
        for (Op op : ops) {
            switch (op.key()) {
                case "POST /v1/migrations" -> {
                    Agent.Reply r = call(op, op.path(), contract.example(op));
                    assertThat(r.status()).as(r.text()).isEqualTo(202);
                    assertThat(r.raw().headers().firstValue("Location").orElseThrow())
                            .isEqualTo("http://127.0.0.1:" + agent.port() + "/v1/migrations/" + r.body().get("id").asText());
                    completed = r.body().get("id").asText();
                    assertThat(agent.awaitState(completed, "completed").get("rounds").size()).isPositive();
                }
                case "GET /v1/migrations/{id}" -> {
                    Agent.Reply r = call(op, "/v1/migrations/" + completed, null);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body().get("strategy_used").isNull()).isFalse();
                }
                case "GET /v1/migrations" -> assertThat(call(op, op.path(), null).body().size()).isPositive();
                case "DELETE /v1/migrations/{id}" -> abortRunningAndQueued(op);
                case "POST /v1/domains/{domain}/memory" -> {
                    Agent.Reply r = call(op, "/v1/domains/vm4/memory", contract.example(op));
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    assertThat(host.dom("vm4").currentMib).isEqualTo(r.body().get("target_mb").asLong());
                }
                case "GET /v1/stats" -> assertThat(call(op, op.path(), null).body().get("vms").findValuesAsText("id"))
                        .contains("vm4", "vm5");
                default -> assertThat(call(op, op.path(), null).status()).isEqualTo(200);
            }
            called.add(op.key());
        }
        assertThat(called).hasSameSizeAs(contract.operations());
    }

    private void abortRunningAndQueued(Op delete) throws Exception {
        Op order = contract.operation("post", "/v1/migrations");
        Op memory = contract.operation("post", "/v1/domains/{domain}/memory");
        String running = agent.order("vm2", "precopy");
        String queued = agent.order("vm3", "precopy");
        agent.awaitState(running, "running");

        // While vm2 migrates, another order or a balloon change for it is a documented 409.
        Agent.Reply busy = call(order, order.path(), withDomain(contract.example(order), "vm2"));
        assertThat(busy.status()).as(busy.text()).isEqualTo(409);
        Agent.Reply resizing = call(memory, "/v1/domains/vm2/memory", contract.example(memory));
        assertThat(resizing.status()).as(resizing.text()).isEqualTo(409);

        Agent.Reply beforeStart = call(delete, "/v1/migrations/" + queued, null);
        assertThat(beforeStart.status()).as(beforeStart.text()).isEqualTo(200);
        assertThat(beforeStart.body().get("state").asText()).isEqualTo("aborted");
        Agent.Reply stopping = call(delete, "/v1/migrations/" + running, null);
        assertThat(stopping.status()).as(stopping.text()).isEqualTo(202);
        agent.awaitState(running, "aborted");
        Agent.Reply over = call(delete, "/v1/migrations/" + running, null);
        assertThat(over.status()).as("already over").isEqualTo(409);
    }

    /** No token, the role below, a malformed body; and each documented error the agent can be made to answer. */
    @Test
    void refusalsAndErrorsAreDocumentedProblems() throws Exception {
        contract.assertRefusalsDocumented((method, path, token, body) ->
                JsonHttp.send("http://127.0.0.1:" + agent.port(), method, path, token, body), AgentOpenApiContractTest::token,
                op -> op.path().replace("{id}", "no-such-migration").replace("{domain}", "vm4"));

        Op show = contract.operation("get", "/v1/migrations/{id}");
        Op abort = contract.operation("delete", "/v1/migrations/{id}");
        Op order = contract.operation("post", "/v1/migrations");
        Op memory = contract.operation("post", "/v1/domains/{domain}/memory");
        expect(show, "/v1/migrations/no-such", null, 404);
        expect(abort, "/v1/migrations/no-such", null, 404);
        expect(order, order.path(), null, 400);
        expect(order, order.path(), withDomain(contract.example(order), "nowhere"), 404);
        expect(order, order.path(), "{\"domain\": \"vm1\", \"destination_uri\": \"x\", \"padding\": \"" + "x".repeat(3000) + "\"}", 413);
        expect(memory, "/v1/domains/nowhere/memory", contract.example(memory), 404);
        expect(memory, "/v1/domains/vm%01/memory", contract.example(memory), 404);
        expect(memory, "/v1/domains/vm5/memory", contract.example(memory), 409);
        Agent.Reply beyond = expect(memory, "/v1/domains/vm4/memory", "{\"target_mb\": 4096}", 422);
        assertThat(beyond.body().findValuesAsText("field")).containsExactly("target_mb");
        assertThat(host.dom("vm4").currentMib).as("nothing changed").isNotEqualTo(4096);
        for (Op op : List.of(order, memory)) {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + op.path().replace("{domain}", "vm4")))
                            .header("X-Auth-Token", Agent.SERVICE).header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString(contract.example(op))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(op + " as text/plain").isEqualTo(415);
            contract.assertDocumented(op, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    JsonHttp.JSON.readTree(r.body()), r.body());
        }
    }

    /**
     * Each limit of a request field in the document (minimum, exclusiveMinimum, maximum, maxLength,
     * pattern, enum, required) is the agent's own: the value at the limit passes validation (the order is for a
     * domain not on this host, so it goes on to a 404 and nothing is started), the value one step
     * beyond is refused by the schema and by the agent, 422 naming the field.
     */
    @Test
    void everyDocumentedLimitIsTheAgentsLimit() throws Exception {
        int checked = 0;
        for (Op op : List.of(contract.operation("post", "/v1/migrations"), contract.operation("post", "/v1/domains/{domain}/memory"))) {
            String path = op.path().replace("{domain}", "nowhere");
            JsonNode schema = contract.resolve(contract.requestMedia(op).get("schema"));
            ObjectNode example = (ObjectNode) JsonHttp.JSON.readTree(withDomain(contract.example(op), "nowhere"));
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) schema.get("properties")::fields) {
                String name = field.getKey();
                JsonNode p = contract.resolve(field.getValue());
                List<JsonNode[]> cases = boundaries(p, example.get(name));
                for (JsonNode[] c : cases) {
                    checkLimit(op, path, example, name, c[0], c[1], schema);
                    checked++;
                }
                if (schema.path("required").toString().contains("\"" + name + "\"")) {
                    ObjectNode without = example.deepCopy();
                    without.remove(name);
                    refused(op, path, without, name, schema);
                    checked++;
                }
            }
        }
        assertThat(checked).as("limits checked").isGreaterThanOrEqualTo(10);
        assertThat(host.calls).noneMatch(c -> c.contains("nowhere"));
    }

    /** {at the limit (null: none), beyond it} for each limit keyword of a property. */
    private List<JsonNode[]> boundaries(JsonNode p, JsonNode example) {
        List<JsonNode[]> out = new ArrayList<>();
        var n = JsonHttp.JSON.getNodeFactory();
        boolean integer = p.path("type").toString().contains("integer");
        if (p.has("maximum")) {
            BigDecimal max = p.get("maximum").decimalValue();
            out.add(new JsonNode[] {n.numberNode(max), n.numberNode(integer ? max.add(BigDecimal.ONE) : max.add(new BigDecimal("0.5")))});
        }
        if (p.has("minimum")) {
            BigDecimal min = p.get("minimum").decimalValue();
            out.add(new JsonNode[] {n.numberNode(min), n.numberNode(min.subtract(BigDecimal.ONE))});
        }
        if (p.has("exclusiveMinimum")) {
            BigDecimal min = p.get("exclusiveMinimum").decimalValue();
            out.add(new JsonNode[] {n.numberNode(min.add(new BigDecimal("0.001"))), n.numberNode(min)});
        }
        if (p.has("maxLength")) {
            int max = p.get("maxLength").asInt();
            String base = example.asText();
            out.add(new JsonNode[] {n.textNode(base + "a".repeat(max - base.length())), n.textNode(base + "a".repeat(max + 1 - base.length()))});
        }
        if (p.has("minLength")) {
            out.add(new JsonNode[] {null, n.textNode("")});
        }
        if (p.has("pattern")) {
            out.add(new JsonNode[] {null, n.textNode(" ")});
        }
        JsonNode e = p.get("enum");
        for (JsonNode alternative : p.path("oneOf")) {
            e = e != null ? e : contract.resolve(alternative).get("enum");
        }
        if (e != null) {
            out.add(new JsonNode[] {e.get(e.size() - 1), n.textNode(e.get(0).asText() + "-not")});
        }
        return out;
    }

    private void checkLimit(Op op, String path, ObjectNode example, String name, JsonNode at, JsonNode beyond, JsonNode schema)
            throws Exception {
        if (at != null) {
            ObjectNode ok = example.deepCopy();
            ok.set(name, at);
            assertThat(contract.errors(schema, ok)).as(name + " = " + at + " is within the documented limits").isEmpty();
            Agent.Reply r = agent.send("POST", path, Agent.SERVICE, ok.toString());
            assertThat(r.status()).as(op + " with " + name + " = " + at + ": " + r.text()).isEqualTo(404);
            contract.assertDocumented(op, r.status(), r.contentType(), r.body(), r.text());
        }
        ObjectNode bad = example.deepCopy();
        bad.set(name, beyond);
        refused(op, path, bad, name, schema);
    }

    private void refused(Op op, String path, ObjectNode body, String name, JsonNode schema) throws Exception {
        assertThat(contract.errors(schema, body)).as(body + " breaks the documented limits of " + name).isNotEmpty();
        Agent.Reply r = agent.send("POST", path, Agent.SERVICE, body.toString());
        assertThat(r.status()).as(op + " with " + body + ": " + r.text()).isEqualTo(422);
        assertThat(r.body().findValuesAsText("field")).as(r.text()).contains(name);
        contract.assertDocumented(op, r.status(), r.contentType(), r.body(), r.text());
    }

    private Agent.Reply call(Op op, String path, String body) throws Exception {
        Agent.Reply r = agent.send(op.method().toUpperCase(), path, token(op.role()), body);
        contract.assertDocumented(op, r.status(), r.contentType(), r.body(), r.text());
        if (op.role().equals("open") || op.method().equals("get")) {
            assertThat(r.status()).as(op + " " + r.text()).isBetween(200, 299);
        }
        return r;
    }

    private Agent.Reply expect(Op op, String path, String body, int status) throws Exception {
        Agent.Reply r = agent.send(op.method().toUpperCase(), path, Agent.SERVICE, body);
        assertThat(r.status()).as(op + " " + path + " " + r.text()).isEqualTo(status);
        assertThat(r.isProblem()).isTrue();
        contract.assertDocumented(op, r.status(), r.contentType(), r.body(), r.text());
        return r;
    }

    private static String withDomain(String example, String domain) {
        try {
            JsonNode n = JsonHttp.JSON.readTree(example);
            if (n.has("domain")) {
                ((ObjectNode) n).put("domain", domain);
            }
            return n.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String token(String role) {
        return switch (role) {
            case "open" -> null;
            case "reader" -> Agent.READER;
            case "service" -> Agent.SERVICE;
            default -> Agent.ADMIN;
        };
    }
}
