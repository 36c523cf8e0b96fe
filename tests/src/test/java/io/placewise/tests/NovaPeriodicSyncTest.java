package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.placewise.bridge.config.NovaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [nova] sync_interval_s}: the real bridge keeps itself current from Nova's API (WireMock
 * playing Keystone and Nova) with nobody calling {@code POST /v1/cluster/sync}: a server booted in
 * Nova appears with its server group, Nova's allocations bound the hosts' capacity, and what
 * Placewise measured stays. The issue's failure: after a boot nobody synced, and two disk-bound
 * servers were placed side by side.
 */
class NovaPeriodicSyncTest {
    static final String GROUP = "5f1c2a77-0c3e-4b5e-9d0a-1a2b3c4d5e6f";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        wm.stubFor(Keystone.issuesTokens(wm.baseUrl()));
        // Nova reserves 512 MB per node (reserved_host_memory_mb) and, on cmp-003, memory no listed
        // server explains (a claim of a migration in progress, say).
        novaHas(hypervisor("cmp-001", 2, 512 + 4096, 100) + "," + hypervisor("cmp-002", 0, 512, 0) + ","
                + hypervisor("cmp-003", 0, 60_000, 0), server("db-a", "cmp-001"), "");
        bridge = new Bridge(dir, Map.of(), c -> c.withNova(new NovaConfig(wm.baseUrl() + "/identity/v3", "placewise", "s3cret",
                "service", "Default", "Default", "RegionOne", "public", "2.60", 1, 5, 3600, 0).withSyncIntervalS(1)));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    static String hypervisor(String host, int vcpusUsed, long memoryUsed, long diskUsed) {
        return """
                {"id": "%s-id", "hypervisor_hostname": "%s.example", "state": "up", "status": "enabled",
                 "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "vcpus_used": %d, "memory_mb_used": %d,
                 "local_gb_used": %d, "service": {"host": "%s"}}""".formatted(host, host, vcpusUsed, memoryUsed, diskUsed, host);
    }

    static String server(String id, String host) {
        return """
                {"id": "%s", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "%s",
                 "flavor": {"vcpus": 2, "ram": 4096, "disk": 100, "ephemeral": 0, "extra_specs": {"placewise:workload": "disk_io"}}}"""
                .formatted(id, host);
    }

    static void novaHas(String hypervisors, String servers, String groups) {
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson("{\"hypervisors\": [" + hypervisors + "]}")));
        wm.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1").willReturn(okJson("{\"servers\": [" + servers + "]}")));
        wm.stubFor(get(urlPathEqualTo("/compute/v2.1/os-server-groups")).willReturn(okJson("{\"server_groups\": [" + groups + "]}")));
    }

    JsonNode cluster() throws Exception {
        return bridge.get("/v1/cluster", Bridge.READER).body();
    }

    static JsonNode vm(JsonNode cluster, String id) {
        for (JsonNode v : cluster.get("vms")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        return null;
    }

    static JsonNode host(JsonNode cluster, String name) {
        for (JsonNode h : cluster.get("hosts")) {
            if (h.get("name").asText().equals(name)) {
                return h;
            }
        }
        return null;
    }

    static String diskIoRequest(int memoryMb) {
        return """
                {"spec": {"flavor": {"vcpus": 2, "memory_mb": %d, "disk_gb": 100, "extra_specs": {"placewise:workload": "disk_io"}}}}"""
                .formatted(memoryMb);
    }

    @Test
    void aServerBootedInNovaArrivesWithItsServerGroupWithoutAnOperator() throws Exception {
        // The first sync runs at start-up.
        await().atMost(Duration.ofSeconds(30)).until(() -> vm(cluster(), "db-a") != null);
        JsonNode c = cluster();
        assertThat(host(c, "cmp-001").get("capacity").get("memory_mb").asLong())
                .as("Nova's reserved 512 MB is not Placewise's to hand out").isEqualTo(65536 - 512);
        assertThat(host(c, "cmp-003").get("capacity").get("memory_mb").asLong()).isEqualTo(65536 - 60_000);
        // What Placewise measured and was told (the NIC size: Nova has none) survives every sync.
        assertThat(bridge.send("POST", "/v1/hosts/cmp-001/samples", Bridge.SERVICE,
                "{\"cpu_util\": 0.7, \"capacity\": {\"vcpus\": 16, \"memory_mb\": 65536, \"nic_mbps\": 10000}}").status()).isEqualTo(202);

        // A second disk-bound server is booted in Nova, on cmp-002, in an anti-affinity group with db-a.
        novaHas(hypervisor("cmp-001", 2, 512 + 4096, 100) + "," + hypervisor("cmp-002", 2, 512 + 4096, 100) + ","
                        + hypervisor("cmp-003", 0, 60_000, 0), server("db-a", "cmp-001") + "," + server("db-b", "cmp-002"),
                """
                {"id": "%s", "name": "db", "policies": ["anti-affinity"], "members": ["db-a", "db-b"], "metadata": {},
                 "project_id": "p1", "user_id": "u1"}""".formatted(GROUP));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> vm(cluster(), "db-b") != null);
        c = cluster();
        assertThat(vm(c, "db-b").get("host").asText()).isEqualTo("cmp-002");
        assertThat(vm(c, "db-b").get("group").asText()).isEqualTo(GROUP);
        assertThat(vm(c, "db-a").get("group").asText()).isEqualTo(GROUP);
        assertThat(c.get("groups")).hasSize(1);
        assertThat(c.get("groups").get(0).get("name").asText()).isEqualTo(GROUP);
        assertThat(c.get("groups").get(0).get("policy").asText()).isEqualTo("anti-affinity");
        assertThat(c.get("groups").get(0).get("members")).extracting(JsonNode::asText).containsExactly("db-a", "db-b");
        JsonNode h1 = host(c, "cmp-001");
        assertThat(h1.get("cpu_util").asDouble()).as("measured by Placewise").isEqualTo(0.7);
        assertThat(h1.get("capacity").get("nic_mbps").asDouble()).isEqualTo(10000);

        // The third disk-bound server goes where neither is, and only where Nova's allocations leave room.
        Bridge.Reply r = bridge.select(diskIoRequest(2048));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("selected")).extracting(JsonNode::asText).containsExactly("cmp-003");
        r = bridge.select(diskIoRequest(8192));
        assertThat(r.body().get("selected")).isEmpty();
        assertThat(r.body().get("rejected").toString()).contains("cmp-003").contains("needs 8192 MB RAM");

        // Nova deleted db-a: the next sync drops it and the group keeps its other member.
        novaHas(hypervisor("cmp-001", 0, 512, 0) + "," + hypervisor("cmp-002", 2, 512 + 4096, 100) + ","
                        + hypervisor("cmp-003", 0, 60_000, 0), server("db-b", "cmp-002"),
                """
                {"id": "%s", "name": "db", "policies": ["anti-affinity"], "members": ["db-b"]}""".formatted(GROUP));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> vm(cluster(), "db-a") == null);
        assertThat(cluster().get("groups").get(0).get("members")).extracting(JsonNode::asText).containsExactly("db-b");
        assertThat(bridge.get("/metrics", null).text()).contains("placewise_nova_syncs_total{outcome=\"ok\"}");
    }

    @Test
    void whenNovaFailsThePeriodicSyncChangesNothingAndCountsIt() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> vm(cluster(), "db-a") != null);
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(aResponse().withStatus(503).withBody("down for maintenance")));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                bridge.get("/metrics", null).text().contains("placewise_nova_syncs_total{outcome=\"failed\"}"));

        JsonNode c = cluster();
        assertThat(c.get("hosts")).hasSize(3);
        assertThat(vm(c, "db-a")).isNotNull();
    }
}
