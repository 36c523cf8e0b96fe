package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.placewise.service.testing.JsonHttp;
import io.placewise.service.testing.OpenApiContract;
import io.placewise.service.testing.OpenApiContract.Op;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The running bridge against its own OpenAPI document ({@code GET /openapi.json}): every JAX-RS resource
 * method is documented, every documented operation answers with a documented status, and every answer,
 * error answers included, validates against the schema documented for it. The requests are the document's
 * own examples, so the examples are checked too. A resource added without documentation fails here.
 * The checks themselves are {@link OpenApiContract}'s, shared with the agent's contract test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {
    private CompletingAgent agent;
    private Bridge bridge;
    private OpenApiContract contract;

    @BeforeAll
    void start() throws Exception {
        agent = new CompletingAgent();
        bridge = new Bridge(Files.createTempDirectory("openapi-contract"), agent.balancer());
        Bridge.Reply r = bridge.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        contract = new OpenApiContract(r.body());
    }

    @AfterAll
    void stop() {
        bridge.close();
        agent.close();
    }

    @Test
    void isOpenApi31WithAnOperationIdAndRoleOnEveryOperation() {
        contract.assertWellFormed();
    }

    @Test
    void everyResourceMethodOfTheBridgeIsDocumentedWithItsRole() {
        Set<String> served = OpenApiContract.served(bridge.server().resourceClasses());
        assertThat(served).contains("GET /v1/cluster", "POST /v1/select", "GET /openapi.json");
        contract.assertDocumentsExactly(served, "openapi/placewise-bridge.yaml");
        contract.assertRolesMatch(bridge.server().resourceClasses());
    }

    @Test
    void everyExampleValidatesAgainstItsRequestSchema() {
        contract.assertExamplesValidate();
    }

    /**
     * Each operation with its own example and the least role it documents, in an order that builds the
     * state the next needs (cluster, then samples, audits, execution, migrations).
     */
    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        List<Op> ops = contract.operations().stream().sorted((a, b) -> Integer.compare(rank(a), rank(b))).toList();
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
            Bridge.Reply r = bridge.send(op.method().toUpperCase(), path, token(op.role()), contract.example(op));
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
        contract.assertRefusalsDocumented((method, path, token, body) -> {
                    Bridge.Reply r = bridge.send(method, path, token, body);
                    return new JsonHttp.Answer(r.status(), r.contentType(), r.body(), r.text(), null);
                }, OpenApiContractTest::token,
                op -> concrete(op.path(), Map.of("audit", "no-such-audit", "migration", "no-such-migration")));
        Bridge.Reply unknown = bridge.get("/v1/hosts/no-such-host", Bridge.READER);
        assertThat(unknown.status()).isEqualTo(404);
        assertDocumented(contract.operation("get", "/v1/hosts/{name}"), unknown);
    }

    private void assertDocumented(Op op, Bridge.Reply r) {
        contract.assertDocumented(op, r.status(), r.contentType(), r.body(), r.text());
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
}
