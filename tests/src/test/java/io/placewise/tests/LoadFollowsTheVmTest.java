package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.placewise.balancer.BalancerSettings;
import io.placewise.bridge.config.BalancerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 4: an executed migration moves the VM's load with it at once (the migrator agent is a
 * WireMock stub, the bridge is real), so the next audit plans from the moved numbers, and a sample
 * taken before the move does not undo it.
 */
class LoadFollowsTheVmTest {
    static final String CAPACITY = LiveStateTest.CAPACITY;

    @TempDir
    Path dir;
    private WireMockServer agent;
    private Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        agent = new WireMockServer(options().dynamicPort());
        agent.start();
        agent.stubFor(post(urlEqualTo("/v1/migrations")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"m-1\"}")));
        agent.stubFor(get(urlEqualTo("/v1/migrations/m-1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"state\": \"completed\", \"strategy_used\": "
                        + "\"precopy\", \"rounds\": [], \"downtime_ms\": 9, \"total_ms\": 1500, \"data_mb\": 300, \"error\": null}")));
        BalancerConfig cfg = new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT, "http://127.0.0.1:" + agent.port(),
                "agent-secret", "qemu+tcp://{host}/system", 30, 20, BalancerConfig.MIGRATOR);
        bridge = new Bridge(dir, cfg);
    }

    @AfterEach
    void stop() {
        bridge.close();
        agent.stop();
    }

    private void report(String host, String body) throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/hosts/" + host + "/samples", Bridge.SERVICE, body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    static String pm1(String at, double cpu, boolean withA) {
        return "{\"at\": \"" + at + "\", " + CAPACITY + ", \"cpu_util\": " + cpu + ", \"mem_util\": 0.5, \"vms\": ["
                + (withA ? LiveStateTest.vm("a", 0.45) + ", " : "") + LiveStateTest.vm("b", 0.3) + ", "
                + LiveStateTest.vm("c", 0.15) + "]}";
    }

    JsonNode host(String name) throws Exception {
        return bridge.get("/v1/hosts/" + name, Bridge.READER).body();
    }

    @Test
    void afterAnExecutedMigrationTheLoadsHaveMovedAndASecondAuditDoesNotPlanFromTheOldNumbers() throws Exception {
        Instant t0 = Instant.now().minusSeconds(60);
        for (int i = 0; i < 4; i++) {
            report("pm1", pm1(t0.plusSeconds(10L * i).toString(), 0.95, true));
            report("pm2", "{\"at\": \"" + t0.plusSeconds(10L * i) + "\", " + CAPACITY + ", \"cpu_util\": 0.1, \"mem_util\": 0.2, "
                    + "\"vms\": [" + LiveStateTest.vm("d", 0.05) + "]}");
        }
        JsonNode audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true}").body();
        assertThat(audit.get("triggered").asBoolean()).isTrue();
        assertThat(audit.get("plan")).hasSize(1);
        JsonNode step = audit.get("plan").get(0);
        String moved = step.get("vm").asText();
        assertThat(step.get("source").asText()).isEqualTo("pm1");
        assertThat(step.get("destination").asText()).isEqualTo("pm2");
        double share = moved.equals("a") ? 0.45 : moved.equals("b") ? 0.3 : 0.15;
        Instant beforeTheMove = Instant.now();

        assertThat(bridge.admin("POST", "/v1/audits/" + audit.get("id").asText() + "/execute", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                bridge.get("/v1/migrations", Bridge.READER).body().findValuesAsText("state").contains("completed"));

        // The VM and its share of the load moved at once (same host size: the same share of CPU).
        await().atMost(Duration.ofSeconds(10)).until(() -> host("pm2").get("vms").toString().contains("\"" + moved + "\""));
        JsonNode pm1 = host("pm1");
        JsonNode pm2 = host("pm2");
        assertThat(pm1.get("cpu_util").asDouble()).isCloseTo(0.95 - share, within(1e-9));
        assertThat(pm2.get("cpu_util").asDouble()).isCloseTo(0.1 + share, within(1e-9));
        assertThat(pm1.get("mem_util").asDouble()).isCloseTo(0.5 - 2048.0 / 16384, within(1e-9));
        assertThat(pm2.get("mem_util").asDouble()).isCloseTo(0.2 + 2048.0 / 16384, within(1e-9));
        // The window moved too: the forecast no longer says pm1 will be a hotspot.
        assertThat(pm1.get("last_sample").get("cpu_util").asDouble()).isCloseTo(0.95 - share, within(1e-9));
        assertThat(pm1.get("forecast").get("cpu_util").asDouble()).isLessThan(0.85);
        JsonNode second = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true}").body();
        assertThat(second.get("triggered").asBoolean()).as(second.toString()).isFalse();
        assertThat(second.get("plan")).isEmpty();

        // pm1's agent sent a sample it took just before the move, still listing the VM with the old load:
        // it does not move the VM back, and its load is taken net of the move.
        report("pm1", pm1(beforeTheMove.toString(), 0.95, true));
        assertThat(hostOf(moved)).isEqualTo("pm2");
        assertThat(host("pm1").get("cpu_util").asDouble()).isCloseTo(0.95 - share, within(1e-9));
        assertThat(bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true}").body()
                .get("triggered").asBoolean()).isFalse();

        // The bridge restarts: the same state, the move's record (fence) included.
        String cluster = bridge.get("/v1/cluster", Bridge.READER).text();
        String pm1Text = bridge.get("/v1/hosts/pm1", Bridge.READER).text();
        bridge.restart();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(cluster);
        assertThat(bridge.get("/v1/hosts/pm1", Bridge.READER).text()).isEqualTo(pm1Text);

        // pm1's first sample after the move no longer lists the VM: from now on its numbers are its own.
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of("a", "b", "c"));
        rest.remove(moved);
        report("pm1", "{\"cpu_util\": 0.4, \"vms\": [" + LiveStateTest.vm(rest.get(0), 0.2) + ", "
                + LiveStateTest.vm(rest.get(1), 0.1) + "]}");
        assertThat(host("pm1").get("cpu_util").asDouble()).isEqualTo(0.4);
        assertThat(hostOf(moved)).isEqualTo("pm2");
        assertThat(Scenario.texts(host("pm2").get("vms"))).containsExactlyInAnyOrder("d", moved);
    }

    /** Where a VM runs, from GET /v1/cluster. */
    String hostOf(String vm) throws Exception {
        for (JsonNode v : bridge.get("/v1/cluster", Bridge.READER).body().get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.get("host").asText();
            }
        }
        return null;
    }
}
