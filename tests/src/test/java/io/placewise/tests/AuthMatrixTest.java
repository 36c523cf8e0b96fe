package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API.md's auth on every endpoint: no or unknown token 401; reader may only GET; service may also
 * call the scheduling hooks and report samples; admin may do everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthMatrixTest {
    enum Needs { ANY, SERVICE, ADMIN }

    @TempDir
    static Path dir;
    Bridge bridge;

    @BeforeAll
    void start() throws Exception {
        bridge = new Bridge(dir);
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
    }

    @AfterAll
    void stop() {
        bridge.close();
    }

    static final String SELECT = Clusters.spec(1, "");

    static Stream<Arguments> calls() {
        Object[][] endpoints = {
                {"GET", "/v1/cluster", null, Needs.ANY, 200},
                {"PUT", "/v1/cluster", Clusters.THREE_HOSTS, Needs.ADMIN, 200},
                {"GET", "/v1/hosts", null, Needs.ANY, 200},
                {"GET", "/v1/hosts/pm1", null, Needs.ANY, 200},
                {"POST", "/v1/hosts/pm1/samples", "{\"cpu_util\": 0.3}", Needs.SERVICE, 202},
                {"POST", "/v1/filter", SELECT, Needs.SERVICE, 200},
                {"POST", "/v1/weigh", SELECT, Needs.SERVICE, 200},
                {"POST", "/v1/select", SELECT, Needs.SERVICE, 200},
                {"GET", "/v1/policies", null, Needs.ANY, 200},
                {"GET", "/v1/policies/BalanceWeigher", null, Needs.ANY, 200},
                {"PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 1.0}", Needs.ADMIN, 200},
                {"POST", "/v1/model/precopy", "{\"memory_mb\": 1024, \"bandwidth_mbps\": 1000, \"dirty_rate_mbps\": 10}", Needs.SERVICE, 200},
        };
        List<Arguments> out = new ArrayList<>();
        for (Object[] e : endpoints) {
            Needs needs = (Needs) e[3];
            int ok = (int) e[4];
            out.add(Arguments.of(e[0], e[1], e[2], "none", null, 401));
            out.add(Arguments.of(e[0], e[1], e[2], "unknown", "not-a-token", 401));
            out.add(Arguments.of(e[0], e[1], e[2], "reader", Bridge.READER, needs == Needs.ANY ? ok : 403));
            out.add(Arguments.of(e[0], e[1], e[2], "service", Bridge.SERVICE, needs != Needs.ADMIN ? ok : 403));
            out.add(Arguments.of(e[0], e[1], e[2], "admin", Bridge.ADMIN, ok));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {3} -> {5}")
    @MethodSource("calls")
    void roleDecides(String method, String path, String body, String who, String token, int expected) throws Exception {
        Bridge.Reply r = bridge.send(method, path, token, body);
        assertThat(r.status()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(r.isProblem()).isTrue();
        }
    }

    @ParameterizedTest(name = "bearer token works for {0}")
    @MethodSource("bearer")
    void bearerHeaderIsAccepted(String path) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        int port = bridge.port();
        var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + Bridge.READER).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    static Stream<String> bearer() {
        return Stream.of("/v1/cluster", "/v1/policies");
    }

    @ParameterizedTest(name = "{0} is open")
    @MethodSource("open")
    void healthAndMetricsNeedNoToken(String path) throws Exception {
        assertThat(bridge.get(path, null).status()).isEqualTo(200);
    }

    static Stream<String> open() {
        return Stream.of("/healthz", "/metrics");
    }
}
