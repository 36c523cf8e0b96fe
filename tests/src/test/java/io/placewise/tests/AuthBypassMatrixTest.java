package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.service.testing.AuthMatrix;
import io.placewise.service.testing.AuthMatrix.Endpoint;
import io.placewise.service.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Issue 9's auth bypass, as a matrix: every endpoint the bridge serves (read from its resource
 * classes) in every hostile spelling of its path ({@code ;x}, {@code ;x=1}, {@code %2F},
 * {@code //}, {@code /./}, a trailing {@code /}, upper case, ...), without a token and with a
 * reader token where the reader may not call it, with a body that would succeed if the check were
 * skipped. Each answer is a problem+json 401, 403, 404 or 405, and the database is unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthBypassMatrixTest {
    @TempDir
    static Path dir;
    Bridge bridge;
    Map<String, String> samples;

    static final String SELECT = Clusters.spec(1, "");
    static final Map<String, String> BODIES = Map.of(
            "PUT /v1/cluster", "{\"hosts\": [{\"name\": \"evil\", \"capacity\": {\"vcpus\": 1, \"memory_mb\": 1}}]}",
            "POST /v1/hosts/{name}/samples", "{\"cpu_util\": 0.99}",
            "POST /v1/filter", SELECT, "POST /v1/weigh", SELECT, "POST /v1/select", SELECT,
            "PATCH /v1/policies/{name}", "{\"multiplier\": 7.5}",
            "POST /v1/model/precopy", "{\"memory_mb\": 1024, \"bandwidth_mbps\": 1000, \"dirty_rate_mbps\": 10}",
            "POST /v1/audits", "{\"goal\": \"balance\", \"dry_run\": true}");

    @BeforeAll
    void start() throws Exception {
        bridge = new Bridge(dir);
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
        String audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": true}").body().get("id").asText();
        samples = Map.of("name", "pm1", "id", audit);
    }

    @AfterAll
    void stop() {
        bridge.close();
    }

    @Test
    void theMatrixCoversEveryEndpointOfApiMd() {
        Set<String> served = new java.util.HashSet<>(AuthMatrix.endpoints(bridge.resourceClasses()).stream()
                .map(Endpoint::toString).toList());
        assertThat(served).contains("GET /v1/cluster", "PUT /v1/cluster", "POST /v1/cluster/sync", "GET /v1/hosts",
                "GET /v1/hosts/{name}", "POST /v1/hosts/{name}/samples", "POST /v1/filter", "POST /v1/weigh",
                "POST /v1/select", "GET /v1/policies", "GET /v1/policies/{name}", "PATCH /v1/policies/{name}",
                "POST /v1/model/precopy", "POST /v1/audits", "GET /v1/audits/{id}", "POST /v1/audits/{id}/execute",
                "GET /v1/migrations", "GET /v1/migrations/{id}", "GET /v1/history", "POST /scheduler/nova/external",
                "GET /healthz", "GET /metrics");
    }

    @TestFactory
    Stream<DynamicTest> noSpellingOfAPathSkipsTheCheck() throws Exception {
        String nova = Files.readString(Path.of("src/test/resources/nova/nova-external-scheduler-request.json"),
                StandardCharsets.UTF_8);
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : AuthMatrix.endpoints(bridge.resourceClasses())) {
            if (e.open()) {
                continue;
            }
            String body = e.template().equals("/scheduler/nova/external") ? nova : BODIES.get(e.toString());
            tests.add(DynamicTest.dynamicTest(e + " without a token", () -> check(e, null, 401, body)));
            if (!e.allows("reader")) {
                tests.add(DynamicTest.dynamicTest(e + " as reader", () -> check(e, Bridge.READER, 403, body)));
            }
        }
        return tests.stream();
    }

    private void check(Endpoint e, String token, int canonical, String body) throws Exception {
        List<String> failures = new ArrayList<>();
        String path = e.path(samples);
        for (String spelling : AuthMatrix.spellings(path)) {
            String before = bridge.databaseDump();
            RawHttp.Reply r = RawHttp.send(bridge.port(), e.method(), spelling, token, body);
            boolean changed = !before.equals(bridge.databaseDump());
            boolean ok = spelling.equals(path) ? r.status() == canonical
                    : r.status() == 401 || r.status() == 403 || r.status() == 404 || r.status() == 405;
            if (!ok || !r.isProblem() || changed) {
                failures.add(e.method() + " " + spelling + " -> " + r + (changed ? " (STATE CHANGED)" : ""));
            }
        }
        assertThat(failures).as("spellings that got past the check or changed state").isEmpty();
    }
}
