package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bridge answers placement questions from the cluster an operator loaded. */
class PlacementEndToEndTest {
    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of("CapacityFilter", Map.of("cpu_allocation_ratio", "1.0")));
        assertThat(bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void selectHonoursCapacityAndPrefersTheLeastLoadedHost() throws Exception {
        long sent = System.nanoTime();
        Bridge.Reply r = bridge.select(Clusters.spec(2, ""));
        double roundTripMs = (System.nanoTime() - sent) / 1e6;

        assertThat(r.status()).isEqualTo(200);
        // pm1 has 1 vCPU left at ratio 1.0; pm3 is idler than pm2 (derived 0.30 from its VMs).
        assertThat(texts(r.body().get("selected"))).containsExactly("pm3");
        assertThat(texts(r.body().get("alternates"))).containsExactly("pm2");
        JsonNode rejection = r.body().get("rejected").get(0);
        assertThat(rejection.get("host").asText()).isEqualTo("pm1");
        assertThat(rejection.get("filter").asText()).isEqualTo("CapacityFilter");
        assertThat(rejection.get("reason").asText()).isEqualTo("needs 2 vCPU, 1 free of 8 (8 × ratio 1)");
        // The pipeline's own time, in milliseconds: some time, and no more than the whole request took.
        assertThat(r.body().get("decision_ms").asDouble()).isPositive().isLessThanOrEqualTo(roundTripMs);
        assertThat(r.body().get("weighed").get(0).get("by").get("BalanceWeigher").asDouble()).isEqualTo(1.0);
    }

    @Test
    void antiAffinityKeepsTheGroupApartEvenOnTheBestHost() throws Exception {
        // Make pm2 the idlest host, then ask for a second member of "web" with anti-affinity.
        bridge.send("POST", "/v1/hosts/pm2/samples", Bridge.SERVICE, "{\"cpu_util\": 0.01}");
        String body = Clusters.spec(1, "\"group\": {\"name\": \"web\", \"policy\": \"anti-affinity\", \"members\": [\"web1\"]}");

        Bridge.Reply r = bridge.select(body);

        assertThat(texts(r.body().get("selected"))).containsExactly("pm3");
        assertThat(r.body().get("rejected").findValuesAsText("reason"))
                .contains("anti-affinity: 1 member(s) of server group 'web' already here");

        // Without the group the idle pm2 wins: the rule, not the load, moved the VM.
        assertThat(texts(bridge.select(Clusters.spec(1, "")).body().get("selected"))).containsExactly("pm2");
    }

    @Test
    void whenNoHostPassesSelectedIsEmptyAndEveryRejectionIsListed() throws Exception {
        Bridge.Reply r = bridge.select(Clusters.spec(9, ""));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("selected")).isEmpty();
        assertThat(r.body().get("rejected").findValuesAsText("host")).containsExactly("pm1", "pm2", "pm3");
    }

    @Test
    void filterAndWeighAnswerTheNovaShimsTwoQuestions() throws Exception {
        Bridge.Reply f = bridge.send("POST", "/v1/filter", Bridge.SERVICE,
                "{\"spec\": {\"flavor\": {\"vcpus\": 2, \"memory_mb\": 1024}}, \"hosts\": [\"pm1\", \"pm2\", \"pm3\"]}");
        assertThat(texts(f.body().get("passed"))).containsExactly("pm2", "pm3");

        // A host object overrides what the bridge knows: Nova says pm3 is busy now.
        Bridge.Reply w = bridge.send("POST", "/v1/weigh", Bridge.SERVICE,
                "{\"spec\": {\"flavor\": {\"vcpus\": 2, \"memory_mb\": 1024}},"
                        + " \"hosts\": [\"pm2\", {\"name\": \"pm3\", \"cpu_util\": 0.9}]}");
        JsonNode weighed = w.body().get("weighed");
        assertThat(weighed.findValuesAsText("host")).containsExactly("pm2", "pm3");
        assertThat(weighed.get(0).get("raw").get("BalanceWeigher").asDouble()).isGreaterThan(
                weighed.get(1).get("raw").get("BalanceWeigher").asDouble());
    }

    @Test
    void aPartialCapacityInAHostObjectKeepsWhatTheBridgeKnows() throws Exception {
        // Nova's host state carries vCPU and RAM but no NIC: the NIC check must still see 1000 Mbit/s.
        // web1 talks to the new VM at 900 Mbit/s; pm3 at 20 % NIC would reach 110 %.
        String body = "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512},"
                + " \"traffic\": [{\"peer\": \"web1\", \"mbps\": 900}]},"
                + " \"hosts\": [{\"name\": \"pm3\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 16384}, \"nic_util\": 0.2}]}";
        Bridge.Reply r = bridge.send("POST", "/v1/filter", Bridge.SERVICE, body);
        assertThat(r.body().get("passed")).isEmpty();
        assertThat(r.body().get("rejected").get(0).get("reason").asText()).contains("NIC would reach 110%");
    }

    @Test
    void workloadComesFromFlavorExtraSpecsWhenNotGiven() throws Exception {
        // The spec is accepted with the extra spec; an unknown class in it is a clear 422.
        Bridge.Reply ok = bridge.select("{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512,"
                + " \"extra_specs\": {\"placewise:workload\": \"disk_io\"}}}}");
        assertThat(ok.status()).isEqualTo(200);
        Bridge.Reply bad = bridge.select("{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512,"
                + " \"extra_specs\": {\"placewise:workload\": \"gpu\"}}}}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("errors").get(0).get("field").asText())
                .isEqualTo("spec.flavor.extra_specs.placewise:workload");
    }

    @Test
    void profilerSamplesUpdateTheHostAndFeedTheForecast() throws Exception {
        for (double cpu : new double[]{0.50, 0.60, 0.70, 0.80}) {
            Bridge.Reply r = bridge.send("POST", "/v1/hosts/pm3/samples", Bridge.SERVICE,
                    "{\"cpu_util\": " + cpu + ", \"mem_util\": 0.4, \"swap_writes_per_s\": 10, \"nic_util\": 0.1}");
            assertThat(r.status()).isEqualTo(202);
        }
        JsonNode pm3 = bridge.get("/v1/hosts/pm3", Bridge.READER).body();
        assertThat(pm3.get("cpu_util").asDouble()).isEqualTo(0.80);
        assertThat(pm3.get("samples")).hasSize(4);
        assertThat(pm3.get("last_sample").get("cpu_util").asDouble()).isEqualTo(0.80);
        // A rising window: AR(1) forecasts the mean plus part of the last deviation (0.65 + φ·0.15).
        double forecast = pm3.get("forecast").get("cpu_util").asDouble();
        assertThat(forecast).isGreaterThan(0.65).isLessThanOrEqualTo(0.80);
        assertThat(pm3.get("forecast").get("window").asInt()).isEqualTo(4);
        assertThat(texts(pm3.get("vms"))).isEmpty();

        // The busier pm3 is no longer the least loaded (pm1 has no room for 2 vCPU).
        assertThat(texts(bridge.select(Clusters.spec(2, "")).body().get("selected"))).containsExactly("pm2");
    }

    @Test
    void aSampleWithVmsMovesThemToTheReportingHost() throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/hosts/pm3/samples", Bridge.SERVICE,
                "{\"cpu_util\": 0.2, \"vms\": [{\"id\": \"db1\", \"cpu_util\": 0.15, \"dirty_rate_mbps\": 40}],"
                        + " \"traffic\": [{\"src\": \"db1\", \"dst\": \"web1\", \"mbps\": 80}]}");
        assertThat(r.status()).isEqualTo(202);
        JsonNode cluster = bridge.get("/v1/cluster", Bridge.READER).body();
        JsonNode db1 = null;
        for (JsonNode vm : cluster.get("vms")) {
            if (vm.get("id").asText().equals("db1")) {
                db1 = vm;
            }
        }
        assertThat(db1.get("host").asText()).isEqualTo("pm3");
        assertThat(db1.get("memory_mb").asLong()).as("flavor kept from before").isEqualTo(4096);
        assertThat(db1.get("dirty_rate_mbps").asDouble()).isEqualTo(40.0);
        assertThat(db1.get("workload").asText()).isEqualTo("disk_io");
        assertThat(cluster.get("traffic").findValuesAsText("src")).containsExactlyInAnyOrder("web1", "db1");
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        assertThat(bridge.get("/healthz", null).body().get("database").asText()).isEqualTo("ok");
        bridge.select(Clusters.spec(1, ""));
        Bridge.Reply m = bridge.get("/metrics", null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.text()).contains("placewise_decision_seconds_count{hook=\"select\"}")
                .contains("placewise_http_requests_seconds_count{method=\"POST\",route=\"/v1/select\",status=\"200\"}")
                .contains("hikaricp_connections");
    }
}
