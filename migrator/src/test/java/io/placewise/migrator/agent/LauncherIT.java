package io.placewise.migrator.agent;

import static io.placewise.service.testing.Launcher.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.service.http.OpenApiResource;
import io.placewise.service.testing.ChildJvm;
import io.placewise.service.testing.JsonHttp;
import io.placewise.service.testing.Launcher;
import io.placewise.service.testing.OpenApiContract;
import io.placewise.service.testing.OpenApiContract.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as an operator runs it: {@code bin/placewise-migrator --config-file FILE} on
 * libvirt's {@code test:///default} driver (lists domains; cannot migrate); SIGTERM stops it
 * cleanly, and it answers as its OpenAPI document ({@code GET /openapi.json}) says. Needs libvirt's
 * client library (libvirt0).
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void launcherServesTheNodeStatsAndStopsOnSigterm() throws Exception {
        int port = ChildJvm.freePort();
        Path log = dir.resolve("agent.log");
        Process agent = startOnTestDriver(port, log);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> call(port, "GET", "/healthz", null, null).statusCode() == 200);
            JsonNode stats = Agent.JSON.readTree(call(port, "GET", "/v1/stats", "it-reader", null).body());
            assertThat(stats.get("vms").findValuesAsText("id")).contains("test"); // the test driver's domain
            assertThat(stats.get("capacity").get("vcpus").asInt()).isPositive();
            assertThat(call(port, "GET", "/v1/migrations", null, null).statusCode()).isEqualTo(401);
        } finally {
            agent.destroy(); // SIGTERM
        }
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        assertThat(Files.readString(log)).contains("Placewise migrator agent listening on http://127.0.0.1:" + port)
                .contains("Placewise migrator agent stopped").doesNotContain("it-reader").doesNotContain("it-service");
    }

    @Test
    void aBadConfigurationStopsTheLauncherWithAClearMessage() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[DEFAULT]\nbind_port = eighty\n");
        Path log = dir.resolve("bad.log");
        Process p = Launcher.start("placewise-migrator", conf, log, Map.of());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("[DEFAULT] bind_port").contains("'eighty' is not an integer");
    }

    /**
     * The packaged agent against the document it serves: the jar carries the document, every
     * documented operation called with its example (for the driver's domain {@code test}) and its
     * role answers a documented status whose answer validates, GETs answer 200, and the refusals are
     * documented ({@link AgentOpenApiContractTest} covers the rest on a scripted host). On this driver
     * the order fails (it cannot migrate: abort is then a 409) and the balloon is a 409 (the test
     * driver refuses libvirt's live and config flags together, which QEMU accepts).
     */
    @Test
    void thePackagedAgentOnLibvirtsTestDriverAnswersAsItsDocumentSays() throws Exception {
        int port = ChildJvm.freePort();
        Process agent = startOnTestDriver(port, dir.resolve("agent.log"));
        String base = "http://127.0.0.1:" + port;
        OpenApiContract.Caller caller = (method, path, token, body) -> JsonHttp.send(base, method, path, token, body);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> caller.send("GET", "/healthz", null, null).status() == 200);
            JsonHttp.Answer served = caller.send("GET", "/openapi.json", null, null);
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.json()).as("the jar's document").isEqualTo(OpenApiResource.load(AgentServer.DOCUMENT));
            OpenApiContract contract = new OpenApiContract(served.json());
            contract.assertWellFormed();

            List<Op> ops = new ArrayList<>(contract.operations());
            ops.sort((a, b) -> Boolean.compare(!a.key().equals("POST /v1/migrations"), !b.key().equals("POST /v1/migrations")));
            String id = "none";
            List<String> answered = new ArrayList<>();
            for (Op op : ops) {
                String body = contract.example(op);
                if (body != null && body.contains("\"domain\"")) {
                    ObjectNode order = (ObjectNode) JsonHttp.JSON.readTree(body);
                    // The test driver's own domain, and a destination that needs no network.
                    order.put("domain", "test").put("destination_uri", "test:///default");
                    body = order.toString();
                }
                String path = op.path().replace("{id}", id).replace("{domain}", "test");
                JsonHttp.Answer a = caller.send(op.method().toUpperCase(), path, token(op.role()), body);
                contract.assertDocumented(op, a);
                answered.add(op + " " + a.status() + (a.status() >= 400 ? " (" + a.json().path("detail").asText() + ")" : ""));
                if (op.method().equals("get") || op.role().equals("open")) {
                    assertThat(a.status()).as(op + " " + a.text()).isEqualTo(200);
                }
                if (op.key().equals("POST /v1/migrations")) {
                    assertThat(a.status()).as(a.text()).isEqualTo(202);
                    id = a.json().get("id").asText();
                    String shown = "/v1/migrations/" + id;
                    // The test driver cannot migrate: the order ends, as whatever libvirt made of it.
                    await().atMost(Duration.ofSeconds(60)).until(() -> Set.of("completed", "failed", "aborted")
                            .contains(caller.send("GET", shown, "it-reader", null).json().get("state").asText()));
                }
                if (op.key().equals("GET /v1/stats")) {
                    assertThat(a.json().get("vms").findValuesAsText("id")).contains("test");
                }
            }
            System.out.println("test:///default answers: " + answered);
            contract.assertRefusalsDocumented(caller, LauncherIT::token,
                    op -> op.path().replace("{id}", "no-such-migration").replace("{domain}", "test"));
        } finally {
            agent.destroy();
        }
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
    }

    private Process startOnTestDriver(int port, Path log) throws java.io.IOException {
        Path conf = Launcher.config(dir, "placewise-migrator.conf", port, "it", "[libvirt]\nuri = test:///default\n");
        return Launcher.start("placewise-migrator", conf, log, Map.of());
    }

    private static String token(String role) {
        return role.equals("open") ? null : "it-" + role;
    }
}
