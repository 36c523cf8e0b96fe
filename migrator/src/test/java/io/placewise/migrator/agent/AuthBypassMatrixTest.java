package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.service.testing.AuthMatrix;
import io.placewise.service.testing.AuthMatrix.Endpoint;
import io.placewise.service.testing.RawHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's auth bypass on the agent ({@code POST /v1;x/migrations} ordered a live migration
 * without a token): every endpoint the agent serves in every hostile spelling of its path, without a
 * token and with a reader token where the reader may not call it, with a body that would order a
 * real migration if the check were skipped. Each answer is a problem+json 401, 403, 404 or 405,
 * no migration is ordered and the database is unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthBypassMatrixTest {
    @TempDir
    static Path dir;
    Agent agent;
    ScriptedHypervisor host;
    Map<String, String> samples;

    @BeforeAll
    void start() throws Exception {
        host = new ScriptedHypervisor();
        host.add("vm1", 0);
        agent = new Agent(dir, host);
        String id = agent.order("vm1", "precopy");
        agent.awaitState(id, "completed");
        host.add("vm1", 0);
        samples = Map.of("id", id);
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void theMatrixCoversEveryEndpointOfApiMd() {
        Set<String> served = new HashSet<>(AuthMatrix.endpoints(agent.resourceClasses()).stream()
                .map(Endpoint::toString).toList());
        assertThat(served).contains("POST /v1/migrations", "GET /v1/migrations", "GET /v1/migrations/{id}",
                "DELETE /v1/migrations/{id}", "GET /v1/stats", "GET /healthz", "GET /metrics");
    }

    @TestFactory
    Stream<DynamicTest> noSpellingOfAPathSkipsTheCheck() {
        String order = "{\"domain\": \"vm1\", \"destination_uri\": \"" + Agent.DEST + "\", \"strategy\": \"precopy\"}";
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : AuthMatrix.endpoints(agent.resourceClasses())) {
            if (e.open()) {
                continue;
            }
            String body = e.method().equals("POST") ? order : null;
            tests.add(DynamicTest.dynamicTest(e + " without a token", () -> check(e, null, 401, body)));
            if (!e.allows("reader")) {
                tests.add(DynamicTest.dynamicTest(e + " as reader", () -> check(e, Agent.READER, 403, body)));
            }
        }
        return tests.stream();
    }

    private void check(Endpoint e, String token, int canonical, String body) throws Exception {
        List<String> failures = new ArrayList<>();
        String path = e.path(samples);
        int callsBefore = host.calls.size();
        for (String spelling : AuthMatrix.spellings(path)) {
            String before = agent.databaseDump();
            RawHttp.Reply r = RawHttp.send(agent.port(), e.method(), spelling, token, body);
            boolean changed = !before.equals(agent.databaseDump());
            boolean ok = spelling.equals(path) ? r.status() == canonical
                    : r.status() == 401 || r.status() == 403 || r.status() == 404 || r.status() == 405;
            if (!ok || !r.isProblem() || changed) {
                failures.add(e.method() + " " + spelling + " -> " + r + (changed ? " (STATE CHANGED)" : ""));
            }
        }
        assertThat(failures).as("spellings that got past the check or changed state").isEmpty();
        assertThat(host.calls.subList(callsBefore, host.calls.size())).as("hypervisor calls").isEmpty();
    }
}
