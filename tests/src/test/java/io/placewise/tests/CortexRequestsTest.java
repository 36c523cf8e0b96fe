package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.placewise.bridge.config.NovaConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests shaped by SAP's cortex (the other server of the same hook, and a client of it), from
 * {@code src/test/resources/nova/cortex/} (origin in its README), answered by the real bridge:
 * availability zones (learnt from Nova through the sync), an empty {@code requested_destination},
 * an empty and a full {@code context}, unnamed Nova objects.
 */
class CortexRequestsTest {
    @RegisterExtension
    static WireMockExtension nova = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of(), c -> c.withNova(new NovaConfig(nova.baseUrl() + "/identity/v3", "placewise", "s3cret",
                "service", "Default", "Default", "RegionOne", "public", "2.60", 1, 5, 3600, 1)));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    static ObjectNode fixture(String name) throws Exception {
        try (InputStream in = CortexRequestsTest.class.getResourceAsStream("/nova/cortex/" + name)) {
            return (ObjectNode) Bridge.JSON.readTree(in);
        }
    }

    List<String> ask(ObjectNode body) throws Exception {
        return NovaExternalHookTest.hosts(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE,
                Bridge.JSON.writeValueAsString(body)));
    }

    static String host(String name, String zone) {
        return """
                {"name": "%s", "capacity": {"vcpus": 32, "memory_mb": 131072, "disk_gb": 2000}%s}"""
                .formatted(name, zone == null ? "" : ", \"availability_zone\": \"" + zone + "\"");
    }

    /** Keystone and Nova's hypervisor, server and zone lists for the four hosts of the multicluster guide. */
    void novaWithZones() {
        nova.stubFor(Keystone.issuesTokens(nova.baseUrl()));
        StringBuilder hypervisors = new StringBuilder();
        int id = 1;
        for (String h : List.of("hypervisor-1-az-a", "hypervisor-2-az-a", "hypervisor-1-az-b", "hypervisor-2-az-b")) {
            hypervisors.append(id > 1 ? "," : "").append("""
                    {"id": "%d", "hypervisor_hostname": "%s", "state": "up", "status": "enabled",
                     "vcpus": 32, "memory_mb": 131072, "local_gb": 2000, "service": {"host": "%s"}}""".formatted(id++, h, h));
        }
        nova.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1").willReturn(okJson("{\"servers\": []}")));
        nova.stubFor(get(urlPathEqualTo("/compute/v2.1/os-server-groups")).willReturn(okJson("{\"server_groups\": []}")));
        nova.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson("{\"hypervisors\": [" + hypervisors + "]}")));
        nova.stubFor(get("/compute/v2.1/os-availability-zone/detail").willReturn(okJson("""
                {"availabilityZoneInfo": [
                  {"zoneName": "cortex-remote-az-a", "zoneState": {"available": true}, "hosts": {
                    "hypervisor-1-az-a": {"nova-compute": {"available": true, "active": true}},
                    "hypervisor-2-az-a": {"nova-compute": {"available": true, "active": true}}}},
                  {"zoneName": "cortex-remote-az-b", "zoneState": {"available": true}, "hosts": {
                    "hypervisor-1-az-b": {"nova-compute": {"available": true, "active": true}},
                    "hypervisor-2-az-b": {"nova-compute": {"available": true, "active": true}}}},
                  {"zoneName": "internal", "zoneState": {"available": true}, "hosts": {
                    "controller": {"nova-scheduler": {"available": true, "active": true}}}}]}""")));
    }

    @Test
    void theRequestedZoneKeepsOnlyItsHostsWithZonesLearntFromNova() throws Exception {
        novaWithZones();
        assertThat(bridge.admin("POST", "/v1/cluster/sync", null).status()).isEqualTo(200);
        for (var h : bridge.get("/v1/cluster", Bridge.READER).body().get("hosts")) {
            String name = h.get("name").asText();
            assertThat(h.get("availability_zone").asText()).as(name).isEqualTo("cortex-remote-" + name.substring(name.length() - 4));
        }

        // cortex's guide expects the az-a hosts filtered out; Nova's weights (4 > 3) order the rest.
        assertThat(ask(fixture("multicluster-az-request.json"))).containsExactly("hypervisor-2-az-b", "hypervisor-1-az-b");

        // The zones survive a restart (they are part of the stored cluster).
        bridge.restart();
        assertThat(ask(fixture("multicluster-az-request.json"))).containsExactly("hypervisor-2-az-b", "hypervisor-1-az-b");
    }

    @Test
    void hostsWhoseZoneIsUnknownAreNotJudgedByZone() throws Exception {
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [" + host("hypervisor-1-az-a", "cortex-remote-az-a") + ","
                + host("hypervisor-2-az-a", null) + "," + host("hypervisor-1-az-b", "cortex-remote-az-b") + ","
                + host("hypervisor-2-az-b", "cortex-remote-az-b") + "]}");
        assertThat(ask(fixture("multicluster-az-request.json")))
                .containsExactly("hypervisor-2-az-b", "hypervisor-1-az-b", "hypervisor-2-az-a");
    }

    @Test
    void anEmptyDestinationAndAnEmptyContextConstrainNothingAndHostsKnownByNodeAreAnsweredByService() throws Exception {
        // Placewise knows these hosts by hypervisor hostname; the answer must use the names Nova sent.
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [" + host("hv83", null) + "," + host("hv84", null) + ","
                + host("hv97", null) + "]}");
        assertThat(ask(fixture("vmware-decision-request.json")))
                .containsExactly("nova-compute-bb83", "nova-compute-bb84", "nova-compute-bb97");
    }

    @Test
    void aCortexBuiltEvacuationWithUnnamedObjectsIsAnswered() throws Exception {
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [" + host("kvm-01", "az-a") + "," + host("kvm-02", "az-a") + ","
                + host("kvm-03", "az-b") + "], \"vms\": [{\"id\": \"4f7e9a1c-3b2d-4c5e-8f6a-9b0c1d2e3f40\", \"host\": \"kvm-01\","
                + " \"vcpus\": 2, \"memory_mb\": 4096}]}");
        ObjectNode body = fixture("failover-evacuate-request.json");
        assertThat(ask(body)).containsExactly("kvm-02");

        // Even without ignore_hosts, an evacuation never returns to the instance's (failed) host.
        ((ObjectNode) body.get("spec").get("nova_object.data")).putNull("ignore_hosts");
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("hosts")).insertObject(0).put("host", "kvm-01").put("hypervisor_hostname", "");
        assertThat(ask(body)).containsExactly("kvm-02");

        // An object that names itself something else is still refused, with a 400 the fork does not retry.
        ((ObjectNode) body.get("spec")).put("nova_object.name", "Flavor");
        Bridge.Reply r = bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE, Bridge.JSON.writeValueAsString(body));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("errors").findValuesAsText("field")).containsExactly("spec.nova_object.name");
    }
}
