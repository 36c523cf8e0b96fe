package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.placewise.bridge.config.NovaConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/cluster/sync}: the real bridge loads its cluster from Nova (WireMock playing
 * Keystone and Nova), keeps what only Placewise measured, and schedules with it at once.
 */
class NovaClusterSyncTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of(), c -> c.withNova(new NovaConfig(wm.baseUrl() + "/identity/v3", "placewise", "s3cret",
                "service", "Default", "Default", "RegionOne", "public", "2.60", 1, 5, 3600, 1)));
        wm.stubFor(Keystone.issuesTokens(wm.baseUrl()));
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson("""
                {"hypervisors": [
                  {"id": "1", "hypervisor_hostname": "cmp-001.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-001"}},
                  {"id": "2", "hypervisor_hostname": "cmp-002.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-002"}},
                  {"id": "3", "hypervisor_hostname": "cmp-003.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-003"}}]}""")));
        wm.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1").willReturn(okJson("""
                {"servers": [{"id": "db-a", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                  "flavor": {"vcpus": 2, "ram": 4096, "disk": 100, "ephemeral": 0, "extra_specs": {"placewise:workload": "disk_io"}}},
                 {"id": "web-b", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-002",
                  "flavor": {"vcpus": 1, "ram": 1024, "disk": 10, "ephemeral": 0, "extra_specs": {}}}]}""")));
        wm.stubFor(get(urlPathEqualTo("/compute/v2.1/os-server-groups")).willReturn(okJson("{\"server_groups\": []}")));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void syncLoadsNovasInventoryKeepsPlacewisesMeasurementsAndSchedulesWithIt() throws Exception {
        // Before: what the operator and profilers told Placewise (cmp-001 measured busy, a NIC size,
        // db-a's measured load and traffic with a VM Nova no longer has).
        assertThat(bridge.admin("PUT", "/v1/cluster", """
                {"hosts": [{"name": "cmp-001", "capacity": {"vcpus": 8, "memory_mb": 1024, "nic_mbps": 10000}, "cpu_util": 0.7},
                           {"name": "old-host", "capacity": {"vcpus": 8, "memory_mb": 1024}}],
                 "vms": [{"id": "db-a", "host": "cmp-001", "vcpus": 1, "memory_mb": 512, "cpu_util": 0.3},
                         {"id": "gone", "host": "old-host", "vcpus": 1, "memory_mb": 512}],
                 "traffic": [{"src": "db-a", "dst": "gone", "mbps": 50}]}""").status()).isEqualTo(200);

        Bridge.Reply r = bridge.admin("POST", "/v1/cluster/sync", null);

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode c = bridge.get("/v1/cluster", Bridge.READER).body();
        assertThat(c.get("hosts").findValuesAsText("name")).containsExactly("cmp-001", "cmp-002", "cmp-003");
        JsonNode h1 = c.get("hosts").get(0);
        assertThat(h1.get("capacity").get("vcpus").asInt()).as("Nova's capacity").isEqualTo(16);
        assertThat(h1.get("capacity").get("nic_mbps").asDouble()).as("kept: Nova has no NIC size").isEqualTo(10000);
        assertThat(h1.get("cpu_util").asDouble()).as("kept: measured by Placewise").isEqualTo(0.7);
        JsonNode db = c.get("vms").get(0);
        assertThat(db.get("id").asText()).isEqualTo("db-a");
        assertThat(db.get("vcpus").asInt()).isEqualTo(2);
        assertThat(db.get("workload").asText()).isEqualTo("disk_io");
        assertThat(db.get("cpu_util").asDouble()).isEqualTo(0.3);
        assertThat(c.get("vms").findValuesAsText("id")).containsExactly("db-a", "web-b");
        assertThat(c.get("traffic")).isEmpty();

        // The SAP hook now sees the disk_io VM on cmp-001 (and the group member on cmp-002).
        Bridge.Reply hook = bridge.send("POST", "/scheduler/nova/external", Bridge.SERVICE,
                Bridge.JSON.writeValueAsString(NovaExternalHookTest.fixture()));
        assertThat(NovaExternalHookTest.hosts(hook)).containsExactly("cmp-003");
    }

    @Test
    void whenNovaRefusesNothingChangesAndTheAnswerSaysWhy() throws Exception {
        bridge.admin("PUT", "/v1/cluster", NovaExternalHookTest.cluster(""));
        wm.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": {\"code\": 401, \"message\": \"The request you have made requires authentication.\"}}")));

        Bridge.Reply r = bridge.admin("POST", "/v1/cluster/sync", null);

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("detail").asText()).contains("Keystone refused user 'placewise'").doesNotContain("s3cret");
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("vms")).isEmpty();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("hosts")).hasSize(3);
    }

    @Test
    void onlyAnAdminMaySyncAndOnlyWhenNovaIsConfigured() throws Exception {
        assertThat(bridge.send("POST", "/v1/cluster/sync", Bridge.SERVICE, null).status()).isEqualTo(403);
        assertThat(bridge.send("POST", "/v1/cluster/sync", null, null).status()).isEqualTo(401);
        bridge.close();
        bridge = new Bridge(dir);
        Bridge.Reply r = bridge.admin("POST", "/v1/cluster/sync", null);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body().get("detail").asText()).contains("[nova] auth_url");
    }
}
