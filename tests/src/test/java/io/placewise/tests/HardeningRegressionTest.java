package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.service.testing.RawHttp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The findings of issue 9 against the real bridge, each as the request that found it: now a clear
 * problem+json 4xx that changes nothing (or, for stored values, the value as sent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningRegressionTest {
    @TempDir
    static Path dir;
    Bridge bridge;

    @BeforeAll
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of(), c -> new io.placewise.bridge.config.BridgeConfig(c.bindHost(), c.bindPort(),
                c.databaseUrl(), c.databaseUser(), c.databasePassword(), c.databasePoolSize(), c.auth(), c.filterOrder(),
                c.maxAlternates(), 0, c.sampleWindow(), c.policySections(), c.novaExternal(), c.nova(), c.balancer(), c.cluster(), c.http()));
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
    }

    @AfterAll
    void stop() {
        bridge.close();
    }

    private void rejectedAndUnchanged(String method, String path, String token, String body, int low, int high) throws Exception {
        String before = bridge.databaseDump();
        RawHttp.Reply r = RawHttp.send(bridge.port(), method, path, token, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r).isBetween(low, high);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(r.body()).doesNotContain("${");
        assertThat(bridge.databaseDump()).as("stored state").isEqualTo(before);
    }

    @ParameterizedTest(name = "GET {0} is a 400 problem")
    @CsvSource({"/v1/audits/%", "/v1/policies/\\", "/v1/hosts/%zz", "/v1/cluster?x=%"})
    void anUnparsablePathIsAProblemNotGrizzlysHtml500(String path) throws Exception {
        rejectedAndUnchanged("GET", path, Bridge.READER, null, 400, 400);
    }

    @Test
    void oversizedUrlsAndHeadersAndBodiesOnGetAreProblems() throws Exception {
        rejectedAndUnchanged("GET", "/v1/cluster?pad=" + "x".repeat(9000), Bridge.READER, null, 414, 414);
        RawHttp.Reply headers = RawHttp.exchange(bridge.port(), ("GET /v1/cluster HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
                + Bridge.READER + "\r\nX-Pad: " + "y".repeat(20_000) + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), null);
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.isProblem()).isTrue();
        RawHttp.Reply getWithBody = RawHttp.exchange(bridge.port(), ("GET /v1/cluster HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
                + Bridge.READER + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1), null);
        assertThat(getWithBody.status()).isBetween(400, 499);
        assertThat(getWithBody.isProblem()).as(getWithBody.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1} with 1e400 is refused")
    @CsvSource(delimiter = '|', value = {
            "POST|/v1/model/precopy|{\"memory_mb\": 1024, \"bandwidth_mbps\": 1e400, \"dirty_rate_mbps\": 10}",
            "POST|/v1/weigh|{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512}, \"traffic\": [{\"peer\": \"db1\", \"mbps\": 1e400}]}}",
            "POST|/v1/select|{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512}, \"traffic\": [{\"peer\": \"db1\", \"mbps\": -1e400}]}}",
            "PUT|/v1/cluster|{\"hosts\": [{\"name\": \"pm1\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 16384, \"nic_mbps\": 1e400}}]}",
            "PATCH|/v1/policies/BalanceWeigher|{\"multiplier\": 1e400}",
            "POST|/v1/hosts/pm1/samples|{\"swap_writes_per_s\": 1e400}"})
    void numbersThatOverflowToInfinityAreRefused(String method, String path, String body) throws Exception {
        rejectedAndUnchanged(method, path, Bridge.ADMIN, body, 400, 422);
    }

    @Test
    void aNullExtraSpecIsA422NotANullPointer() throws Exception {
        rejectedAndUnchanged("POST", "/v1/select", Bridge.SERVICE,
                "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512, \"extra_specs\": {\"placewise:workload\": null}}}}",
                422, 422);
    }

    @Test
    void aNonsharableResourceLongerThanTheSchemaHoldsIsA422NamingTheField() throws Exception {
        String before = bridge.databaseDump();
        Bridge.Reply r = bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"pm1\", \"capacity\": {\"vcpus\": 8, "
                + "\"memory_mb\": 16384}}], \"vms\": [{\"id\": \"v\", \"host\": \"pm1\", \"vcpus\": 1, \"memory_mb\": 1, "
                + "\"nonsharable\": [\"" + "n".repeat(3000) + "\"]}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("vms[0].nonsharable[0]");
        assertThat(bridge.databaseDump()).isEqualTo(before);
    }

    @Test
    void validationMessagesAreInterpolated() throws Exception {
        Bridge.Reply r = bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"pm1\", \"capacity\": {\"vcpus\": -1, "
                + "\"memory_mb\": 16384}}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("errors").get(0).get("message").asText()).isEqualTo("must be greater than or equal to 0");
    }

    @Test
    void maxWeighedZeroListsNoWeighedHostsInsteadOfFailing() throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            hosts.append(i == 0 ? "" : ",").append("{\"name\": \"h").append(i)
                    .append("\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 16384, \"disk_gb\": 500}}");
        }
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [" + hosts + "]}");
        Bridge.Reply r = bridge.select(Clusters.spec(1, ""));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("selected")).hasSize(1);
        assertThat(r.body().get("weighed")).isEmpty();
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
    }

    @Test
    void storedValuesComeBackAsSent() throws Exception {
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"pm1\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 16384}}],"
                + " \"vms\": [{\"id\": \"v\", \"host\": \"pm1\", \"vcpus\": 1, \"memory_mb\": 1, \"nonsharable\": [\"disk,llc\", \"gpu\"]}]}");
        bridge.restart();
        JsonNode vm = bridge.get("/v1/cluster", Bridge.READER).body().get("vms").get(0);
        assertThat(vm.get("nonsharable")).hasSize(2);
        assertThat(vm.get("nonsharable").get(0).asText()).isEqualTo("disk,llc");
        rejectedAndUnchanged("POST", "/v1/hosts/pm1/samples", Bridge.SERVICE,
                "{\"at\": \"+999999999-12-31T23:59:59Z\", \"cpu_util\": 0.5}", 422, 422);
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
    }

    @Test
    void invented_methods_addNoMetricSeries() throws Exception {
        for (int i = 0; i < 50; i++) {
            RawHttp.Reply r = RawHttp.send(bridge.port(), "M" + i + "X", "/v1/cluster", Bridge.READER, null);
            assertThat(r.status()).isBetween(400, 499);
            RawHttp.send(bridge.port(), "GET", "/v1/nothing/" + i, Bridge.READER, null);
        }
        String metrics = bridge.get("/metrics", null).text();
        Matcher m = Pattern.compile("placewise_http_requests_seconds_count\\{([^}]*)}").matcher(metrics);
        List<String> series = new ArrayList<>();
        while (m.find()) {
            series.add(m.group(1));
        }
        assertThat(series).isNotEmpty().noneMatch(s -> s.contains("M1X") || s.contains("/v1/nothing/"));
        assertThat(series.stream().filter(s -> s.contains("method=\"OTHER\"")).count()).isLessThanOrEqualTo(2);
    }

    @Test
    void aNewlineInARequestValueCannotForgeALogLine() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%msg");
        layout.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("x"), Level.INFO,
                "nova external [{}] dropped {}", null, new Object[] {"req-1\n2026-01-01 INFO forged", "pm1\r"});
        assertThat(layout.doLayout(event)).isEqualTo("nova external [req-1\\n2026-01-01 INFO forged] dropped pm1\\r");
    }

    @Test
    void clientsTricklingBodiesDoNotStarveHealthz() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket("127.0.0.1", bridge.port());
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/hosts/pm1/samples HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + Bridge.SERVICE
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                slow.add(s);
            }
            for (int second = 0; second < 3; second++) {
                for (Socket s : slow) {
                    s.getOutputStream().write(' ');
                    s.getOutputStream().flush();
                }
                long t0 = System.nanoTime();
                assertThat(bridge.get("/healthz", null).status()).isEqualTo(200);
                assertThat(bridge.get("/v1/cluster", Bridge.READER).status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("while 100 bodies trickle").isLessThan(Duration.ofSeconds(15));
                Thread.sleep(1000);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
