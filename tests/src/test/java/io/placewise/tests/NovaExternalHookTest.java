package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.bridge.config.NovaExternalConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /scheduler/nova/external} answers SAP's Nova fork with the request it really sends
 * (fixture: a live migration of an instance of server group "web-tier", anti-affinity, whose other
 * member runs on cmp-002; flavor {@code placewise:workload=disk_io}; Nova's weights 1.0 / 0.5 / 0.0).
 */
class NovaExternalHookTest {
    static final String PATH = "/scheduler/nova/external";
    static final String INSTANCE = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";

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

    /** Three idle, identical hosts named as Nova names them, plus the given VMs. */
    static String cluster(String vms) {
        return """
                {"hosts": [
                  {"name": "cmp-001", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000, "nic_mbps": 10000}, "cpu_util": 0.1},
                  {"name": "cmp-002", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000, "nic_mbps": 10000}, "cpu_util": 0.1},
                  {"name": "cmp-003", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000, "nic_mbps": 10000}, "cpu_util": 0.1}
                 ],
                 "vms": [%s]}""".formatted(vms);
    }

    static ObjectNode fixture() throws Exception {
        try (InputStream in = NovaExternalHookTest.class.getResourceAsStream("/nova/nova-external-scheduler-request.json")) {
            return (ObjectNode) Bridge.JSON.readTree(in);
        }
    }

    static ObjectNode data(ObjectNode body) {
        return (ObjectNode) body.get("spec").get("nova_object.data");
    }

    static ObjectNode extraSpecs(ObjectNode body) {
        return (ObjectNode) data(body).get("flavor").get("nova_object.data").get("extra_specs");
    }

    Bridge.Reply ask(JsonNode body) throws Exception {
        return bridge.send("POST", PATH, Bridge.SERVICE, Bridge.JSON.writeValueAsString(body));
    }

    static List<String> hosts(Bridge.Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        // SAP's fork validates the answer with additionalProperties: false.
        List<String> fields = new ArrayList<>();
        r.body().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("hosts");
        return PlacementEndToEndTest.texts(r.body().get("hosts"));
    }

    void load(String vms) throws Exception {
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster(vms)).status()).isEqualTo(200);
    }

    @Test
    void theAntiAffinityGroupsHostIsDroppedAndTheRestFollowNovasWeights() throws Exception {
        load("");
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-001", "cmp-003");

        // Nova changes its mind: the order follows.
        ObjectNode body = fixture();
        ((ObjectNode) body.get("weights")).put("cmp-001", 0.0).put("cmp-003", 1.0);
        assertThat(hosts(ask(body))).containsExactly("cmp-003", "cmp-001");
    }

    @Test
    void withoutTheGroupEveryHostComesBackInNovasOrder() throws Exception {
        load("");
        ObjectNode body = fixture();
        data(body).putNull("instance_group");
        assertThat(hosts(ask(body))).containsExactly("cmp-001", "cmp-002", "cmp-003");
    }

    @Test
    void aDiskIoNeighbourRulesOutNovasFavouriteForADiskIoFlavor() throws Exception {
        load("""
                {"id": "db-a", "host": "cmp-001", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "workload": "disk_io"}""");
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-003");

        // Either rule alone keeps disk_io VMs apart: AffinityFilter's matrix (disk_io:disk_io = -1)...
        patch("SameNonsharableResourceFilter", false);
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-003");
        // ...and SameNonsharableResourceFilter (disk_io holds the disk); without AffinityFilter the
        // group rule is gone too, so cmp-002 comes back.
        patch("SameNonsharableResourceFilter", true);
        patch("AffinityFilter", false);
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-002", "cmp-003");
        // With neither hard rule, cmp-001 is allowed; WorkloadAffinityWeigher (the soft rule) still
        // pulls it down: 0 + Nova 1.0 against cmp-002's 1 + 0.5, tied with cmp-003 (1 + 0) in Nova's order.
        patch("SameNonsharableResourceFilter", false);
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-002", "cmp-001", "cmp-003");
    }

    @Test
    void aPlainFlavorMayJoinTheDiskIoHost() throws Exception {
        load("""
                {"id": "db-a", "host": "cmp-001", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "workload": "disk_io"}""");
        ObjectNode body = fixture();
        extraSpecs(body).remove("placewise:workload");
        assertThat(hosts(ask(body))).containsExactly("cmp-001", "cmp-003");
    }

    @Test
    void aNonsharableExtraSpecIsHonouredWithoutAWorkloadClass() throws Exception {
        load("""
                {"id": "db-a", "host": "cmp-001", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "nonsharable": ["gpu"]}""");
        ObjectNode body = fixture();
        extraSpecs(body).remove("placewise:workload");
        extraSpecs(body).put("placewise:nonsharable", "gpu");
        assertThat(hosts(ask(body))).containsExactly("cmp-003");
    }

    @Test
    void aLiveMigrationNeverReturnsTheInstancesCurrentHost() throws Exception {
        load("""
                {"id": "%s", "host": "cmp-001", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20}""".formatted(INSTANCE));
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-003");
    }

    @Test
    void placewiseWeighersAndNovasWeightsAreAdded() throws Exception {
        // cmp-003 is far idler; with BalanceWeigher x2 that outweighs Nova's full 1.0 for cmp-001.
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster("").replace(
                "\"disk_gb\": 1000, \"nic_mbps\": 10000}, \"cpu_util\": 0.1},\n  {\"name\": \"cmp-002\"",
                "\"disk_gb\": 1000, \"nic_mbps\": 10000}, \"cpu_util\": 0.6},\n  {\"name\": \"cmp-002\"")).status()).isEqualTo(200);
        assertThat(bridge.get("/v1/hosts/cmp-001", Bridge.READER).body().get("cpu_util").asDouble()).isEqualTo(0.6);
        assertThat(bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 2.0}").status()).isEqualTo(200);
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-003", "cmp-001");

        // At multiplier 0.5 Nova's preference wins again.
        assertThat(bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 0.5}").status()).isEqualTo(200);
        assertThat(hosts(ask(fixture()))).containsExactly("cmp-001", "cmp-003");
    }

    @Test
    void hostsPlacewiseDoesNotKnowFollowTheOnesItJudged() throws Exception {
        load("");
        ObjectNode body = fixture();
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("hosts")).insertObject(0)
                .put("host", "cmp-009").put("hypervisor_hostname", "cmp-009.example");
        ((ObjectNode) body.get("weights")).put("cmp-009", 5.0);
        assertThat(hosts(ask(body))).containsExactly("cmp-001", "cmp-003", "cmp-009");
    }

    @Test
    void ignoreHostsAndRebuildsAreHonoured() throws Exception {
        load("");
        ObjectNode body = fixture();
        data(body).putArray("ignore_hosts").add("cmp-001");
        assertThat(hosts(ask(body))).containsExactly("cmp-003");

        // A rebuild stays where Nova put it: no Placewise filter runs, like Nova's own filters.
        ObjectNode rebuild = fixture();
        rebuild.put("live", false).put("rebuild", true);
        ((ObjectNode) data(rebuild).get("scheduler_hints")).putArray("_nova_check_type").add("rebuild");
        assertThat(hosts(ask(rebuild))).containsExactly("cmp-001", "cmp-002", "cmp-003");
    }

    @Test
    void aMalformedSpecIsA400ProblemNamingTheFieldAndNothingElse() throws Exception {
        load("");
        ObjectNode body = fixture();
        body.putObject("spec").put("nova_object.name", "RequestSpec");
        Bridge.Reply r = ask(body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("errors").findValuesAsText("field")).contains("spec.nova_object.data");

        ObjectNode noFlavor = fixture();
        data(noFlavor).remove("flavor");
        Bridge.Reply f = ask(noFlavor);
        assertThat(f.status()).isEqualTo(400);
        assertThat(f.body().get("errors").findValuesAsText("field")).containsExactly("spec.flavor");

        Bridge.Reply notJson = bridge.send("POST", PATH, Bridge.SERVICE, "{\"spec\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.isProblem()).isTrue();
    }

    /** 400, not 422: SAP's fork retries every other error status before falling back, and retrying cannot help. */
    @Test
    void wrongValuesAre400NamingEachField() throws Exception {
        load("");
        ObjectNode body = fixture();
        ((ObjectNode) data(body).get("flavor").get("nova_object.data")).put("vcpus", "two");
        extraSpecs(body).put("placewise:workload", "gaming");
        ((ObjectNode) body.get("weights")).put("cmp-002", "high");
        Bridge.Reply r = ask(body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("errors").findValuesAsText("field"))
                .contains("spec.flavor.vcpus", "weights.cmp-002");
    }

    @Test
    void theHookNeedsTheServiceRole() throws Exception {
        load("");
        String body = Bridge.JSON.writeValueAsString(fixture());
        assertThat(bridge.send("POST", PATH, null, body).status()).isEqualTo(401);
        assertThat(bridge.send("POST", PATH, "nonsense", body).status()).isEqualTo(401);
        Bridge.Reply reader = bridge.send("POST", PATH, Bridge.READER, body);
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.isProblem()).isTrue();
        assertThat(bridge.send("POST", PATH, Bridge.SERVICE, body).status()).isEqualTo(200);
        assertThat(bridge.send("POST", PATH, Bridge.ADMIN, body).status()).isEqualTo(200);
    }

    @Test
    void aTrustedPeerMayCallOnlyThisHookWithoutAToken() throws Exception {
        bridge.close();
        bridge = new Bridge(dir, Map.of(), c -> c.withNovaExternal(new NovaExternalConfig(1.0, List.of("127.0.0.0/8", "::1"))));
        load("");
        String body = Bridge.JSON.writeValueAsString(fixture());
        Bridge.Reply r = bridge.send("POST", PATH, null, body);
        assertThat(hosts(r)).containsExactly("cmp-001", "cmp-003");
        // A token, when sent, is still judged; nothing else opens up.
        assertThat(bridge.send("POST", PATH, "nonsense", body).status()).isEqualTo(401);
        assertThat(bridge.send("POST", PATH, Bridge.READER, body).status()).isEqualTo(403);
        assertThat(bridge.send("POST", "/v1/select", null, Clusters.spec(1, "")).status()).isEqualTo(401);
        assertThat(bridge.send("GET", "/v1/cluster", null, null).status()).isEqualTo(401);
        assertThat(bridge.send("PUT", "/v1/cluster", null, cluster("")).status()).isEqualTo(401);
    }

    @Test
    void anUntrustedPeerStillNeedsAToken() throws Exception {
        bridge.close();
        bridge = new Bridge(dir, Map.of(), c -> c.withNovaExternal(new NovaExternalConfig(1.0, List.of("10.0.0.0/8"))));
        load("");
        assertThat(bridge.send("POST", PATH, null, Bridge.JSON.writeValueAsString(fixture())).status()).isEqualTo(401);
    }

    void patch(String policy, boolean enabled) throws Exception {
        assertThat(bridge.admin("PATCH", "/v1/policies/" + policy, "{\"enabled\": " + enabled + "}").status()).isEqualTo(200);
    }
}
