package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.bridge.service.NovaExternalScheduler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The cases of issue 16, through the real bridge on both Nova paths: SAP's hook
 * ({@code POST /scheduler/nova/external}, with the fork's request fixture) and the upstream shim's
 * {@code /v1/filter} with a {@code nova} object. Each answer is the one Nova's own filters give
 * (Nova 26 {@code affinity_filter}, {@code host_manager.get_filtered_hosts},
 * {@code resources_from_request_spec}); the same cases run against Nova's real filter classes in
 * the Nova harness ({@code nova-bridge/python/tests/functional/test_external_scheduler.py}).
 */
class NovaSemanticsTest {
    static final String INSTANCE = NovaExternalHookTest.INSTANCE;
    static final String PEER = "0b7c5e2a-9d1f-4e3b-8a6c-7d2e1f0a9b84";
    static final String PEER2 = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    /** cmp-001..003 (16 vCPU, 64 GiB, {@code diskGb}), named {@code suffix}-ed (e.g. ".example": hypervisor hostnames). */
    void load(long diskGb, String suffix, String vms) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            hosts.append(i > 1 ? "," : "").append("""
                    {"name": "cmp-00%d%s", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": %d, "nic_mbps": 10000}, "cpu_util": 0.1}"""
                    .formatted(i, suffix, diskGb));
        }
        Bridge.Reply r = bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [" + hosts + "], \"vms\": [" + vms + "]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    static String vm(String id, String host) {
        return """
                {"id": "%s", "host": "%s", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20}""".formatted(id, host);
    }

    /** The fork's request (a live migration of INSTANCE in anti-affinity group web-tier) turned into {@code checkType}. */
    static ObjectNode request(String checkType) throws Exception {
        ObjectNode body = NovaExternalHookTest.fixture();
        body.put("live", "live_migrate".equals(checkType)).put("resize", "resize".equals(checkType));
        ObjectNode hints = (ObjectNode) data(body).get("scheduler_hints");
        if (checkType == null) {
            hints.remove("_nova_check_type");
        } else {
            hints.putArray("_nova_check_type").add(checkType);
        }
        return body;
    }

    static ObjectNode data(ObjectNode body) {
        return NovaExternalHookTest.data(body);
    }

    static ObjectNode group(ObjectNode body) {
        return (ObjectNode) data(body).get("instance_group").get("nova_object.data");
    }

    static ObjectNode flavor(ObjectNode body) {
        return (ObjectNode) data(body).get("flavor").get("nova_object.data");
    }

    static void groupOf(ObjectNode body, List<String> members, List<String> hosts) {
        ArrayNode m = group(body).putArray("members");
        members.forEach(m::add);
        ArrayNode h = group(body).putArray("hosts");
        hosts.forEach(h::add);
    }

    static void onlyHosts(ObjectNode body, String... names) {
        ArrayNode hosts = body.putArray("hosts");
        for (String n : names) {
            hosts.addObject().put("host", n).put("hypervisor_hostname", n + ".example");
        }
    }

    List<String> ask(JsonNode body) throws Exception {
        return NovaExternalHookTest.hosts(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE,
                Bridge.JSON.writeValueAsString(body)));
    }

    // ---- SAP's hook ------------------------------------------------------------------------------

    @Test
    void aResizeToTheSameHostOfAnAntiAffinityMemberIsAllowed() throws Exception {
        load(1000, "", vm(INSTANCE, "cmp-001") + "," + vm(PEER, "cmp-002"));
        ObjectNode body = request("resize");
        groupOf(body, List.of(PEER, INSTANCE), List.of("cmp-001", "cmp-002"));
        onlyHosts(body, "cmp-001");
        assertThat(ask(body)).containsExactly("cmp-001");

        // Nova only ever exempts the instance's own host: the other member's host stays out.
        onlyHosts(body, "cmp-001", "cmp-002", "cmp-003");
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-003");
    }

    @Test
    void theOwnHostIsFoundFromTheGroupWhenPlacewiseDoesNotKnowTheInstance() throws Exception {
        load(1000, "", vm(PEER, "cmp-002"));
        ObjectNode body = request("resize");
        groupOf(body, List.of(PEER, INSTANCE), List.of("cmp-001", "cmp-002"));
        onlyHosts(body, "cmp-001");
        // PEER runs on cmp-002, so cmp-001 can only be listed for the instance itself.
        assertThat(ask(body)).containsExactly("cmp-001");
    }

    @Test
    void maxServerPerHostAllowsThatManyMembersOnAHost() throws Exception {
        load(1000, "", vm(PEER, "cmp-002"));
        ObjectNode body = request(null);
        body.put("live", false);
        groupOf(body, List.of(PEER, INSTANCE), List.of("cmp-002"));
        group(body).putObject("_rules").put("max_server_per_host", "2");
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-002", "cmp-003");

        // A second member on cmp-002 reaches the limit.
        load(1000, "", vm(PEER, "cmp-002") + "," + vm(PEER2, "cmp-002"));
        groupOf(body, List.of(PEER, PEER2, INSTANCE), List.of("cmp-002"));
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-003");
    }

    @Test
    void severalInstancesOfOneRequestCountEachTimeNovaListsTheHost() throws Exception {
        load(1000, "", "");
        ObjectNode body = request(null);
        body.put("live", false);
        data(body).put("num_instances", 3);
        // Nova placed the first two instances of this request on cmp-002 (it appends the host per instance).
        groupOf(body, List.of("a-1", "a-2", INSTANCE), List.of("cmp-002", "cmp-002"));
        group(body).putObject("_rules").put("max_server_per_host", "2");
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-003");
        groupOf(body, List.of("a-1", "a-2", INSTANCE), List.of("cmp-002"));
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-002", "cmp-003");
    }

    @Test
    void aVolumeBackedInstanceNeedsNoRootDiskButItsSwapCounts() throws Exception {
        load(100, "", "");
        ObjectNode body = request(null);
        body.put("live", false);
        data(body).putNull("instance_group");
        flavor(body).put("root_gb", 500);
        data(body).put("is_bfv", true);
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-002", "cmp-003");

        data(body).put("is_bfv", false);
        assertThat(ask(body)).isEmpty();

        // Ephemeral 90 GB + swap 12 GiB (rounded up to whole GB, as Nova does) exceeds 100 GB; 10 GiB fits.
        data(body).put("is_bfv", true);
        flavor(body).put("ephemeral_gb", 90).put("swap", 12 * 1024);
        assertThat(ask(body)).isEmpty();
        flavor(body).put("swap", 10 * 1024);
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-002", "cmp-003");
    }

    @Test
    void groupHostsNamedByServiceApplyWherePlacewiseKnowsHypervisorHostnames() throws Exception {
        load(1000, ".example", "");
        ObjectNode body = request(null);
        body.put("live", false);
        // The fixture's group reports its member on cmp-002 (a service name); Placewise has cmp-002.example.
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-003");
    }

    @Test
    void forcedHostsAndNodesNarrowTheChoiceAndSkipTheFiltersAsNovaDoes() throws Exception {
        load(1000, "", "");
        ObjectNode body = request(null);
        body.put("live", false);
        data(body).putArray("force_hosts").add("CMP-002");
        // Nova skips every filter for a forced host without a check type: anti-affinity included.
        assertThat(ask(body)).containsExactly("cmp-002");

        data(body).putNull("force_hosts");
        data(body).putArray("force_nodes").add("cmp-003.example");
        assertThat(ask(body)).containsExactly("cmp-003");

        // With a check type (a live migration to a forced host) the filters run.
        ObjectNode live = request("live_migrate");
        data(live).putArray("force_hosts").add("cmp-002");
        assertThat(ask(live)).isEmpty();
    }

    @Test
    void theRequestedDestinationHostAndNodeNarrowTheChoiceAndEmptyMeansNone() throws Exception {
        load(1000, "", "");
        ObjectNode body = request(null);
        body.put("live", false);
        ObjectNode dest = data(body).putObject("requested_destination");
        dest.put("nova_object.name", "Destination");
        ObjectNode d = dest.putObject("nova_object.data");
        d.put("host", "cmp-003");
        assertThat(ask(body)).containsExactly("cmp-003");
        d.put("host", "cmp-003").put("node", "cmp-001.example");
        assertThat(ask(body)).isEmpty();
        d.put("host", "").put("node", "");
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-003");
        d.put("node", "cmp-001.example");
        assertThat(ask(body)).containsExactly("cmp-001");
    }

    @Test
    void anEvacuationNeverReturnsToTheFailedHostAndStillFilters() throws Exception {
        load(1000, "", vm(INSTANCE, "cmp-001"));
        ObjectNode body = request("evacuate");
        assertThat(ask(body)).containsExactly("cmp-003");
    }

    @Test
    void theResizeFlagAloneMakesItAResize() throws Exception {
        load(1000, "", vm(INSTANCE, "cmp-002"));
        ObjectNode body = request(null);
        body.put("live", false).put("resize", true);
        groupOf(body, List.of(INSTANCE), List.of("cmp-002"));
        assertThat(ask(body)).containsExactly("cmp-001", "cmp-002", "cmp-003");
    }

    @Test
    void requestsWithoutContextOrWithoutTokenWorkAndLogTheirOwnLabel() throws Exception {
        load(1000, "", "");
        Logger logger = (Logger) LoggerFactory.getLogger(NovaExternalScheduler.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            ObjectNode old = request("live_migrate");
            old.remove("context");
            assertThat(ask(old)).containsExactly("cmp-001", "cmp-003");
            ObjectNode newer = request("live_migrate");
            ((ObjectNode) newer.get("context")).put("global_request_id", "req-global-1").remove("auth_token");
            assertThat(ask(newer)).containsExactly("cmp-001", "cmp-003");
        } finally {
            logger.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("nova external [instance " + INSTANCE + "]"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("nova external [req-global-1]"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("[null]"));
    }

    @Test
    void everyAnswerThatMakesTheForkFallBackIsCounted() throws Exception {
        load(1000, "", "");
        String good = Bridge.JSON.writeValueAsString(request("live_migrate"));
        assertThat(bridge.send("POST", NovaExternalHookTest.PATH, null, good).status()).isEqualTo(401);
        assertThat(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.READER, good).status()).isEqualTo(403);
        assertThat(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE, "{\"spec\": {}}").status()).isEqualTo(400);
        assertThat(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE, good).status()).isEqualTo(200);
        ObjectNode none = request("live_migrate");
        onlyHosts(none, "cmp-002");
        assertThat(ask(none)).isEmpty();

        String metrics = bridge.get("/metrics", null).text();
        assertThat(metrics).contains("placewise_nova_external_answers_total{outcome=\"fallback\",status=\"401\"} 1.0")
                .contains("placewise_nova_external_answers_total{outcome=\"fallback\",status=\"403\"} 1.0")
                .contains("placewise_nova_external_answers_total{outcome=\"fallback\",status=\"400\"} 1.0")
                .contains("placewise_nova_external_answers_total{outcome=\"hosts\",status=\"200\"} 1.0")
                .contains("placewise_nova_external_answers_total{outcome=\"no_valid_host\",status=\"200\"} 1.0");
    }

    // ---- the upstream shim's path: /v1/filter with Nova's own view ----------------------------------

    /** A /v1/filter body as the shim sends it: names, Nova's request spec and Nova's host view. */
    static ObjectNode shimBody(ObjectNode sap, String... hostFacts) throws Exception {
        ObjectNode body = Bridge.JSON.createObjectNode();
        body.putObject("spec").putObject("flavor").put("vcpus", 2).put("memory_mb", 2048);
        ArrayNode hosts = body.putArray("hosts");
        ObjectNode nova = body.putObject("nova");
        nova.set("request_spec", sap.get("spec"));
        ArrayNode facts = nova.putArray("hosts");
        for (String f : hostFacts) {
            ObjectNode fact = (ObjectNode) Bridge.JSON.readTree(f);
            facts.add(fact);
            hosts.add(fact.get("name") != null ? fact.remove("name") : fact.get("host"));
        }
        return body;
    }

    JsonNode filter(ObjectNode body) throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/filter", Bridge.SERVICE, Bridge.JSON.writeValueAsString(body));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theShimsResizeKeepsTheInstancesHostFromNovasOwnHostState() throws Exception {
        load(1000, "", "");
        ObjectNode sap = request("resize");
        groupOf(sap, List.of(PEER, INSTANCE), List.of("cmp-001", "cmp-002"));
        JsonNode r = filter(shimBody(sap,
                "{\"host\": \"cmp-001\", \"hypervisor_hostname\": \"cmp-001.example\", \"instances\": [\"" + INSTANCE + "\"]}",
                "{\"host\": \"cmp-002\", \"hypervisor_hostname\": \"cmp-002.example\", \"instances\": [\"" + PEER + "\"]}",
                "{\"host\": \"cmp-003\", \"hypervisor_hostname\": \"cmp-003.example\", \"instances\": []}"));
        assertThat(PlacementEndToEndTest.texts(r.get("passed"))).containsExactly("cmp-001", "cmp-003");
        assertThat(r.get("rejected").get(0).get("reason").asText()).contains("anti-affinity");
    }

    @Test
    void theShimsHostStateCountsMembersPlacewiseHasNeverSeen() throws Exception {
        load(1000, "", "");
        ObjectNode sap = request(null);
        groupOf(sap, List.of(PEER, PEER2, INSTANCE), List.of("cmp-002"));
        group(sap).putObject("_rules").put("max_server_per_host", "2");
        String both = "{\"host\": \"cmp-002\", \"hypervisor_hostname\": \"cmp-002.example\", \"instances\": [\"" + PEER + "\", \"" + PEER2 + "\"]}";
        JsonNode r = filter(shimBody(sap, "{\"host\": \"cmp-001\", \"instances\": []}", both));
        assertThat(PlacementEndToEndTest.texts(r.get("passed"))).containsExactly("cmp-001");
        assertThat(r.get("rejected").get(0).get("reason").asText()).contains("2 member(s)").contains("max_server_per_host 2");
    }

    @Test
    void theShimNamingHostsByNodeStillSeesTheGroupsServiceHosts() throws Exception {
        load(1000, ".example", "");
        ObjectNode sap = request(null);
        JsonNode r = filter(shimBody(sap,
                "{\"name\": \"cmp-001.example\", \"host\": \"cmp-001\", \"hypervisor_hostname\": \"cmp-001.example\"}",
                "{\"name\": \"cmp-002.example\", \"host\": \"cmp-002\", \"hypervisor_hostname\": \"cmp-002.example\"}"));
        assertThat(PlacementEndToEndTest.texts(r.get("passed"))).containsExactly("cmp-001.example");
    }

    @Test
    void aNovaObjectThatIsNoRequestSpecIs422AndChangesNothing() throws Exception {
        load(1000, "", "");
        ObjectNode body = shimBody(request(null), "{\"host\": \"cmp-001\"}");
        ((ObjectNode) body.get("nova")).put("request_spec", "RequestSpec");
        Bridge.Reply r = bridge.send("POST", "/v1/filter", Bridge.SERVICE, Bridge.JSON.writeValueAsString(body));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("errors").findValuesAsText("field")).containsExactly("nova.request_spec");

        ObjectNode flavorless = shimBody(request(null), "{\"host\": \"cmp-001\"}");
        ((ObjectNode) flavorless.get("nova").get("request_spec").get("nova_object.data")).remove("flavor");
        Bridge.Reply f = bridge.send("POST", "/v1/filter", Bridge.SERVICE, Bridge.JSON.writeValueAsString(flavorless));
        assertThat(f.status()).isEqualTo(422);
        assertThat(f.body().get("errors").findValuesAsText("field")).containsExactly("nova.request_spec.flavor");
    }

    @Test
    void theShimsVolumeBackedFlavorAndZoneAreNovas() throws Exception {
        load(100, "", "");
        ObjectNode sap = request(null);
        data(sap).putNull("instance_group");
        data(sap).put("is_bfv", true).put("availability_zone", "az-a");
        flavor(sap).put("root_gb", 500);
        JsonNode r = filter(shimBody(sap,
                "{\"host\": \"cmp-001\", \"availability_zone\": \"az-a\"}",
                "{\"host\": \"cmp-002\", \"availability_zone\": \"az-b\"}"));
        assertThat(PlacementEndToEndTest.texts(r.get("passed"))).containsExactly("cmp-001");
        assertThat(r.get("rejected").get(0).get("filter").asText()).isEqualTo("NovaRequestSpec");
        assertThat(r.get("rejected").get(0).get("reason").asText()).contains("availability zone az-b");
    }
}
