package io.placewise.migrator.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiler reports to the bridge ({@code POST /v1/hosts/{name}/samples}, SPEC "Profiler") with
 * its service token, every interval; the bridge is WireMock here. {@code GET /v1/stats} serves the
 * same sample.
 */
class ProfilerPushTest {
    static final String BRIDGE_TOKEN = "bridge-service-token";

    @TempDir
    Path dir;
    WireMockServer bridge;
    ScriptedHypervisor hv = new ScriptedHypervisor();

    @BeforeEach
    void startBridge() {
        bridge = new WireMockServer(wireMockConfig().dynamicPort());
        bridge.start();
        hv.add("vm1", 400);
    }

    @AfterEach
    void stopBridge() {
        bridge.stop();
    }

    Agent agent() throws Exception {
        return new Agent(dir, hv, Map.of("profiler", Map.of("bridge_url", bridge.baseUrl(),
                "bridge_token", BRIDGE_TOKEN, "host_name", "node1", "interval_s", "1")));
    }

    @Test
    void samplesArePushedToTheBridgeEveryIntervalWithTheServiceToken() throws Exception {
        bridge.stubFor(post(urlEqualTo("/v1/hosts/node1/samples")).willReturn(aResponse().withStatus(202)));
        try (Agent agent = agent()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    bridge.verify(com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2),
                            postRequestedFor(urlEqualTo("/v1/hosts/node1/samples"))
                                    .withHeader("X-Auth-Token", equalTo(BRIDGE_TOKEN))
                                    .withHeader("Content-Type", equalTo("application/json"))
                                    .withRequestBody(matchingJsonPath("$.cpu_util"))
                                    .withRequestBody(matchingJsonPath("$.capacity.memory_mb", equalTo("4096")))
                                    .withRequestBody(matchingJsonPath("$.vms[0].id", equalTo("vm1")))
                                    .withRequestBody(matchingJsonPath("$.vms[0].dirty_rate_mbps", equalTo("320.0")))
                                    .withRequestBody(matchingJsonPath("$.vms[0].workload", equalTo("memory")))));

            JsonNode stats = agent.get("/v1/stats").body();
            assertThat(stats.get("host").asText()).isEqualTo("node1");
            assertThat(stats.get("mem_util").asDouble()).isEqualTo(0.25);
            assertThat(stats.get("vms").get(0).get("workload").asText()).isEqualTo("memory");
            assertThat(stats.get("traffic")).isEmpty();
        }
    }

    @Test
    void aRefusingOrAbsentBridgeDoesNotStopTheAgentOrItsPushes() throws Exception {
        bridge.stubFor(post(urlEqualTo("/v1/hosts/node1/samples")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":503}")));
        try (Agent agent = agent()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> bridge.verify(
                    com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2),
                    postRequestedFor(urlEqualTo("/v1/hosts/node1/samples"))));
            bridge.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.send("GET", "/metrics", null, null).text()
                    .contains("outcome=\"unreachable\""));
            String metrics = agent.send("GET", "/metrics", null, null).text();
            assertThat(metrics).contains("placewise_profiler_pushes_total{outcome=\"refused\"}");
            assertThat(metrics).doesNotContain(BRIDGE_TOKEN);
            assertThat(agent.get("/healthz").status()).isEqualTo(200);
        }
    }
}
