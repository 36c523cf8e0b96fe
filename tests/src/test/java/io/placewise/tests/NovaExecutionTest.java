package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.config.NovaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3, the Nova executor cannot hang: the real bridge with {@code [balancer] executor = nova}
 * and WireMock playing Keystone and Nova at microversion 2.60. Nova's answers follow its API: a
 * migration the conductor errors before it starts (NoValidHost) is only ever in {@code os-migrations}
 * with status {@code error}, never in the server's in-progress list.
 */
class NovaExecutionTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SERVER = "3f1c2b7a-4d5e-4f60-8a9b-0c1d2e3f4a5b";
    static final String LIST = "/compute/v2.1/os-migrations?instance_uuid=" + SERVER + "&migration_type=live-migration";
    static final String ACTION = "/compute/v2.1/servers/" + SERVER + "/action";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void keystone() {
        wm.stubFor(Keystone.issuesTokens(wm.baseUrl()));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER + "/migrations").willReturn(okJson("{\"migrations\": []}")));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(okJson("""
                {"server": {"id": "%s", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001", "OS-EXT-STS:task_state": null,
                 "flavor": {"vcpus": 2, "ram": 2048, "disk": 20, "ephemeral": 0, "extra_specs": {}}}}""".formatted(SERVER))));
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    /** The bridge with the Nova executor: polls every 0.2 s, migrations may run {@code timeoutS}. */
    void start(double timeoutS) throws Exception {
        NovaConfig nova = new NovaConfig(wm.baseUrl() + "/identity/v3", "placewise", "s3cret", "service", "Default", "Default",
                "RegionOne", "public", "2.60", 0.2, 5, timeoutS, 0);
        bridge = new Bridge(dir, Map.of(), c -> c.withNova(nova).withBalancer(BalancerConfig.DEFAULT.withExecutor(BalancerConfig.NOVA)));
        assertThat(bridge.admin("PUT", "/v1/cluster", """
                {"hosts": [
                  {"name": "cmp-001", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.95},
                  {"name": "cmp-002", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.10}],
                 "vms": [{"id": "%s", "host": "cmp-001", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.5,
                          "workload": "cpu"}]}""".formatted(SERVER)).status()).isEqualTo(200);
    }

    static String record(String status) {
        return """
                {"id": 77, "uuid": "9d1e2f3a-0000-4000-8000-000000000077", "instance_uuid": "%s", "status": "%s",
                 "migration_type": "live-migration", "source_compute": "cmp-001", "dest_compute": "cmp-002",
                 "created_at": "%s"}""".formatted(SERVER, status, Instant.now().toString().replace("Z", ""));
    }

    /**
     * Nova's records: none before the order; after it (the POST moves the scenario to "ordered") the
     * given bodies in turn, the last one kept.
     */
    void novaAnswers(String... afterOrder) {
        wm.stubFor(get(LIST).inScenario("nova").whenScenarioStateIs(Scenario.STARTED).willReturn(okJson("{\"migrations\": []}")));
        wm.stubFor(post(ACTION).inScenario("nova").whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(202))
                .willSetStateTo("a0"));
        for (int i = 0; i < afterOrder.length; i++) {
            var stub = get(LIST).inScenario("nova").whenScenarioStateIs("a" + i).willReturn(okJson(afterOrder[i]));
            wm.stubFor(i + 1 < afterOrder.length ? stub.willSetStateTo("a" + (i + 1)) : stub);
        }
    }

    static String list(String... records) {
        return "{\"migrations\": [" + String.join(",", records) + "]}";
    }

    JsonNode executeTheHotspotPlan() throws Exception {
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": false}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("plan")).hasSize(1);
        assertThat(r.body().get("plan").get(0).get("destination").asText()).isEqualTo("cmp-002");
        return r.body();
    }

    JsonNode step(JsonNode audit) throws Exception {
        return bridge.get("/v1/audits/" + audit.get("id").asText(), Bridge.READER).body().get("execution").get("steps").get(0);
    }

    String hostOfServer() throws Exception {
        return bridge.get("/v1/cluster", Bridge.READER).body().get("vms").get(0).get("host").asText();
    }

    int listCalls() {
        return wm.findAll(getRequestedFor(urlEqualTo(LIST))).size();
    }

    @Test
    void aMigrationTheConductorErrorsBeforeItStartsFailsAtTheFirstPollAndTheVmStays() throws Exception {
        start(3600);
        novaAnswers(list(record("error")));

        JsonNode audit = executeTheHotspotPlan();

        await().atMost(WAIT).until(() -> step(audit).get("state").asText().equals("failed"));
        assertThat(step(audit).get("error").asText()).contains("migration 77").contains("status 'error'")
                .contains("server event list " + SERVER);
        // One list before the order, then at most two polls: not an hour of polling.
        assertThat(listCalls()).isBetween(2, 3);
        wm.verify(1, postRequestedFor(urlEqualTo(ACTION)));
        assertThat(hostOfServer()).isEqualTo("cmp-001");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).isEmpty();
    }

    @Test
    void aMigrationThatVanishesFromNovaFailsWithinTwoPolls() throws Exception {
        start(3600);
        novaAnswers(list(record("running")), list());

        JsonNode audit = executeTheHotspotPlan();

        await().atMost(WAIT).until(() -> step(audit).get("state").asText().equals("failed"));
        assertThat(step(audit).get("error").asText()).contains("no longer lists live migration 77");
        assertThat(hostOfServer()).isEqualTo("cmp-001");
    }

    @Test
    void aMigrationPastNovasTimeoutIsAbortedThroughNovaAndEndsAborted() throws Exception {
        start(1);
        novaAnswers(list(record("running")));
        wm.stubFor(delete("/compute/v2.1/servers/" + SERVER + "/migrations/77").inScenario("nova").willReturn(
                aResponse().withStatus(202)).willSetStateTo("cancelled"));
        wm.stubFor(get(LIST).inScenario("nova").whenScenarioStateIs("cancelled").willReturn(okJson(list(record("cancelled")))));

        JsonNode audit = executeTheHotspotPlan();

        await().atMost(WAIT).until(() -> step(audit).get("state").asText().equals("aborted"));
        assertThat(step(audit).get("error").asText()).contains("migration_timeout_s = 1").contains("stays on cmp-001");
        wm.verify(1, deleteRequestedFor(urlEqualTo("/compute/v2.1/servers/" + SERVER + "/migrations/77")));
        assertThat(hostOfServer()).isEqualTo("cmp-001");
    }

    @Test
    void aCompletedNovaMigrationMovesTheVmAndWritesItsHistoryRecord() throws Exception {
        start(3600);
        novaAnswers(list(record("running")), list(record("completed")));

        JsonNode audit = executeTheHotspotPlan();

        await().atMost(WAIT).until(() -> step(audit).get("state").asText().equals("completed"));
        JsonNode m = bridge.get("/v1/migrations/" + step(audit).get("migration_id").asText(), Bridge.READER).body();
        assertThat(m.get("result").get("nova_migration_id").asText()).isEqualTo("77");
        assertThat(hostOfServer()).isEqualTo("cmp-002");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);
    }

    /** Item 6: the flavor's placewise:tolerates_slowing reaches the cluster through Nova's sync. */
    @Test
    void theSyncReadsWhetherAGuestToleratesSlowingFromItsFlavor() throws Exception {
        start(3600);
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson("""
                {"hypervisors": [
                  {"id": "1", "hypervisor_hostname": "cmp-001.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-001"}}]}""")));
        wm.stubFor(get(urlPathEqualTo("/compute/v2.1/os-server-groups")).willReturn(okJson("{\"server_groups\": []}")));
        wm.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1").willReturn(okJson("""
                {"servers": [
                  {"id": "batch", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                   "flavor": {"vcpus": 2, "ram": 4096, "disk": 10, "ephemeral": 0,
                              "extra_specs": {"placewise:workload": "web", "placewise:tolerates_slowing": "true"}}},
                  {"id": "plain", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                   "flavor": {"vcpus": 1, "ram": 1024, "disk": 10, "ephemeral": 0, "extra_specs": {}}}]}""")));

        assertThat(bridge.admin("POST", "/v1/cluster/sync", null).status()).isEqualTo(200);

        JsonNode vms = bridge.get("/v1/cluster", Bridge.READER).body().get("vms");
        assertThat(vms.get(0).get("id").asText()).isEqualTo("batch");
        assertThat(vms.get(0).get("tolerates_slowing").asBoolean()).isTrue();
        assertThat(vms.get(1).has("tolerates_slowing")).as("unsaid: the workload class decides").isFalse();
    }
}
