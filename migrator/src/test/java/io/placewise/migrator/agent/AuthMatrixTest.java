package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may do what on the agent (API.md "Auth"): readers GET, the bridge's service token orders and
 * aborts migrations, admin everything; no token 401, wrong role 403; /healthz and /metrics are open.
 * A call that passes auth answers as it would anyway (here 404 or 422: no VM, no body).
 */
class AuthMatrixTest {
    @TempDir
    static Path dir;
    static Agent agent;

    @BeforeAll
    static void start() throws Exception {
        agent = new Agent(dir, new ScriptedHypervisor());
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "GET,    /v1/migrations,      none,    401",
            "GET,    /v1/migrations,      bogus,   401",
            "GET,    /v1/migrations,      reader,  200",
            "GET,    /v1/migrations,      service, 200",
            "GET,    /v1/migrations,      admin,   200",
            "GET,    /v1/migrations/x,    reader,  404",
            "GET,    /v1/stats,           none,    401",
            "GET,    /v1/stats,           reader,  200",
            "POST,   /v1/migrations,      none,    401",
            "POST,   /v1/migrations,      reader,  403",
            "POST,   /v1/migrations,      service, 422",
            "POST,   /v1/migrations,      admin,   422",
            "DELETE, /v1/migrations/x,    none,    401",
            "DELETE, /v1/migrations/x,    reader,  403",
            "DELETE, /v1/migrations/x,    service, 404",
            "DELETE, /v1/migrations/x,    admin,   404",
            "POST,   /v1/stats,           service, 405",
            "POST,   /v1/domains/x/memory, none,   401",
            "POST,   /v1/domains/x/memory, reader, 403",
            "POST,   /v1/domains/x/memory, service, 422",
            "POST,   /v1/domains/x/memory, admin,  422",
            "GET,    /healthz,            none,    200",
            "GET,    /metrics,            none,    200",
    })
    void roles(String method, String path, String who, int expected) throws Exception {
        String token = switch (who) {
            case "reader" -> Agent.READER;
            case "service" -> Agent.SERVICE;
            case "admin" -> Agent.ADMIN;
            case "bogus" -> "not-a-token";
            default -> null;
        };
        Agent.Reply r = agent.send(method, path, token, method.equals("POST") ? "{}" : null);
        assertThat(r.status()).as(r.text()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(r.isProblem()).isTrue();
        }
        assertThat(r.text()).doesNotContain(Agent.SERVICE, Agent.ADMIN, Agent.READER);
    }

    @ParameterizedTest
    @CsvSource({"Bearer service-token, 422", "bearer service-token, 422", "Bearer nope, 401"})
    void bearerTokensWorkToo(String header, int expected) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + agent.port()
                                + "/v1/migrations")).header("Authorization", header).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(expected);
    }
}
