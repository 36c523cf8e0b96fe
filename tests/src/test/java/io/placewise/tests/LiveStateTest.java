package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.config.ClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 through the real bridge: state gets in from the agents' samples (which register their
 * hosts and are authoritative for their VMs), hosts go stale when their agents stop, and every
 * sample is on disk when it is answered.
 */
class LiveStateTest {
    static final String CAPACITY = "\"capacity\": {\"vcpus\": 8, \"memory_mb\": 16384, \"disk_gb\": 500, \"nic_mbps\": 1000}";

    @TempDir
    Path dir;
    private Bridge bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    static String vm(String id, double cpu) {
        return "{\"id\": \"" + id + "\", \"vcpus\": 2, \"memory_mb\": 2048, \"cpu_util\": " + cpu + ", \"workload\": \"cpu\"}";
    }

    static String sample(double cpu, String... vms) {
        return "{" + CAPACITY + ", \"cpu_util\": " + cpu + ", \"vms\": [" + String.join(", ", vms) + "]}";
    }

    Bridge.Reply report(String host, String body) throws Exception {
        return bridge.send("POST", "/v1/hosts/" + host + "/samples", Bridge.SERVICE, body);
    }

    JsonNode vmsById() throws Exception {
        JsonNode cluster = bridge.get("/v1/cluster", Bridge.READER).body();
        com.fasterxml.jackson.databind.node.ObjectNode out = Bridge.JSON.createObjectNode();
        cluster.get("vms").forEach(v -> out.set(v.get("id").asText(), v));
        return out;
    }

    @Test
    void aSampleWithCapacityRegistersItsHostAndOneWithoutIsRefused() throws Exception {
        bridge = new Bridge(dir);
        Bridge.Reply unknown = report("pm9", "{\"cpu_util\": 0.2}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
        assertThat(unknown.body().get("detail").asText()).contains("pm9").contains("capacity");
        assertThat(bridge.get("/v1/hosts", Bridge.READER).body()).isEmpty();

        Bridge.Reply r = report("pm1", sample(0.25, vm("a", 0.1), vm("b", 0.05)));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.body().get("host").asText()).isEqualTo("pm1");

        JsonNode pm1 = bridge.get("/v1/hosts/pm1", Bridge.READER).body();
        assertThat(pm1.get("capacity").get("vcpus").asInt()).isEqualTo(8);
        assertThat(pm1.get("cpu_util").asDouble()).isEqualTo(0.25);
        assertThat(pm1.get("enabled").asBoolean()).isTrue();
        assertThat(pm1.get("stale").asBoolean()).isFalse();
        assertThat(pm1.get("last_sample_at").asText()).isNotEmpty();
        assertThat(Scenario.texts(pm1.get("vms"))).containsExactly("a", "b");
        assertThat(pm1.get("usage").get("vcpus_used").asInt()).isEqualTo(4);
        // A registered host is a placement candidate like any other.
        assertThat(Scenario.texts(bridge.select(Clusters.spec(2, "")).body().get("selected"))).containsExactly("pm1");
        // GET /v1/cluster tells the same, with the host's report time.
        JsonNode host = bridge.get("/v1/cluster", Bridge.READER).body().get("hosts").get(0);
        assertThat(host.get("last_sample_at").asText()).isEqualTo(pm1.get("last_sample_at").asText());
        assertThat(host.get("stale").asBoolean()).isFalse();
    }

    @Test
    void aVmReportedByAnotherHostHasMovedAndKeepsWhatTheReportOmits() throws Exception {
        bridge = new Bridge(dir);
        report("pm1", sample(0.3, "{\"id\": \"db1\", \"vcpus\": 2, \"memory_mb\": 4096, \"cpu_util\": 0.2, "
                + "\"workload\": \"disk_io\", \"group\": \"g\", \"nonsharable\": [\"disk\"]}", vm("web1", 0.1)));
        report("pm2", sample(0.1));

        // pm2 now runs db1 (the agent knows its flavor, not its group or workload class).
        assertThat(report("pm2", sample(0.3, "{\"id\": \"db1\", \"vcpus\": 2, \"memory_mb\": 4096, \"cpu_util\": 0.2}"))
                .status()).isEqualTo(202);

        JsonNode db1 = vmsById().get("db1");
        assertThat(db1.get("host").asText()).isEqualTo("pm2");
        assertThat(db1.get("workload").asText()).isEqualTo("disk_io");
        assertThat(db1.get("group").asText()).isEqualTo("g");
        assertThat(Scenario.texts(db1.get("nonsharable"))).containsExactly("disk");
        assertThat(Scenario.texts(bridge.get("/v1/hosts/pm1", Bridge.READER).body().get("vms"))).containsExactly("web1");
        assertThat(Scenario.texts(bridge.get("/v1/hosts/pm2", Bridge.READER).body().get("vms"))).containsExactly("db1");
        // pm1's next report no longer lists db1: it is pm2's, nothing is removed.
        report("pm1", sample(0.1, vm("web1", 0.1)));
        assertThat(vmsById().has("db1")).isTrue();
    }

    @Test
    void aVanishedVmIsRemovedOnceNoOtherHostReportsIt() throws Exception {
        bridge = new Bridge(dir);
        report("pm1", "{" + CAPACITY + ", \"cpu_util\": 0.3, \"vms\": [" + vm("x", 0.1) + ", " + vm("y", 0.1) + "], "
                + "\"traffic\": [{\"src\": \"x\", \"dst\": \"y\", \"mbps\": 50}]}");
        report("pm2", sample(0.1));

        // x is migrating to pm2: pm2 says so, and pm1 stops listing it (the domain is switching over).
        assertThat(report("pm2", sample(0.15, "{\"id\": \"x\", \"vcpus\": 2, \"memory_mb\": 2048, \"migrating_in\": true}"))
                .status()).isEqualTo(202);
        assertThat(Scenario.texts(bridge.get("/v1/hosts/pm2", Bridge.READER).body().get("vms"))).isEmpty();
        assertThat(Scenario.texts(bridge.get("/v1/hosts/pm2", Bridge.READER).body().get("migrating_in"))).containsExactly("x");
        report("pm1", sample(0.2, vm("y", 0.1)));
        assertThat(vmsById().get("x").get("host").asText()).as("still pm1's until pm2 runs it").isEqualTo("pm1");

        // The migration completes: pm2 lists x as its own.
        report("pm2", sample(0.2, vm("x", 0.1)));
        assertThat(vmsById().get("x").get("host").asText()).isEqualTo("pm2");

        // y is shut down: pm1 stops listing it and nobody else reports it, so it is gone, with its traffic.
        report("pm1", sample(0.05));
        JsonNode vms = vmsById();
        assertThat(vms.has("y")).isFalse();
        assertThat(vms.has("x")).isTrue();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("traffic")).isEmpty();
        assertThat(bridge.get("/v1/hosts/pm1", Bridge.READER).body().get("usage").get("vm_count").asInt()).isZero();
    }

    @Test
    void aRefusedSampleChangesNothing() throws Exception {
        bridge = new Bridge(dir);
        report("pm1", sample(0.3, vm("a", 0.1)));
        String before = bridge.get("/v1/cluster", Bridge.READER).text();
        String hostBefore = bridge.get("/v1/hosts/pm1", Bridge.READER).text();
        // A new VM without its flavor, and traffic to a VM nobody knows: 422, and nothing of it is kept.
        for (String bad : List.of(sample(0.9, vm("a", 0.2), "{\"id\": \"new\"}"),
                "{\"cpu_util\": 0.9, \"traffic\": [{\"src\": \"a\", \"dst\": \"ghost\", \"mbps\": 10}]}",
                "{\"cpu_util\": 0.9, \"vms\": [" + vm("a", 0.2) + ", " + vm("a", 0.3) + "]}")) {
            Bridge.Reply r = report("pm1", bad);
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.isProblem()).isTrue();
        }
        assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(before);
        assertThat(bridge.get("/v1/hosts/pm1", Bridge.READER).text()).isEqualTo(hostBefore);
    }

    @Test
    void aHostGoesStaleAndIsSkippedByAuditsAndPlacement() throws Exception {
        bridge = new Bridge(dir, Map.of(), c -> c.withCluster(new ClusterConfig(3, false)));
        // pm3 is known from the operator only: it never reports, so it is never stale.
        bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"pm3\", " + CAPACITY + ", \"cpu_util\": 0.2}]}");
        report("pm2", sample(0.1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bridge.get("/v1/hosts/pm2", Bridge.READER).body().get("stale").asBoolean());

        JsonNode pm2 = bridge.get("/v1/hosts/pm2", Bridge.READER).body();
        assertThat(pm2.get("last_sample_at").isNull()).isFalse();
        assertThat(bridge.get("/v1/hosts/pm3", Bridge.READER).body().get("stale").asBoolean()).isFalse();
        assertThat(bridge.get("/v1/hosts/pm3", Bridge.READER).body().get("last_sample_at").isNull()).isTrue();
        JsonNode listed = bridge.get("/v1/hosts", Bridge.READER).body();
        assertThat(listed.findValues("stale").stream().map(JsonNode::asBoolean).toList()).containsExactly(true, false);

        // Placement: pm2 is refused, and says why.
        JsonNode select = bridge.select(Clusters.spec(1, "")).body();
        assertThat(Scenario.texts(select.get("selected"))).containsExactly("pm3");
        assertThat(select.get("rejected").get(0).get("host").asText()).isEqualTo("pm2");
        assertThat(select.get("rejected").get(0).get("filter").asText()).isEqualTo("ComputeFilter");
        assertThat(select.get("rejected").get(0).get("reason").asText()).contains("stale");

        // pm1 reports a hotspot now: its VMs may go to pm3 (never reported), never to the stale pm2.
        for (int i = 0; i < 3; i++) {
            report("pm1", sample(0.95, vm("a", 0.45), vm("b", 0.3), vm("c", 0.2)));
        }
        JsonNode audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true}").body();
        assertThat(audit.get("triggered").asBoolean()).isTrue();
        assertThat(audit.get("plan")).isNotEmpty();
        audit.get("plan").forEach(step -> assertThat(step.get("destination").asText()).isEqualTo("pm3"));
        assertThat(audit.get("projected").has("pm2")).as("a stale host is not judged").isFalse();

        // Once pm1 is stale too its old numbers are not judged: no hotspot is left to relieve.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bridge.get("/v1/hosts/pm1", Bridge.READER).body().get("stale").asBoolean());
        JsonNode later = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true}").body();
        assertThat(later.get("triggered").asBoolean()).isFalse();
        assertThat(later.get("metrics").get("hotspots")).isEmpty();

        // A fresh sample makes a host current again.
        report("pm2", sample(0.1));
        assertThat(bridge.get("/v1/hosts/pm2", Bridge.READER).body().get("stale").asBoolean()).isFalse();
    }

    @Test
    void withPlaceOnStalePlacementMayStillChooseAStaleHost() throws Exception {
        bridge = new Bridge(dir, Map.of(), c -> c.withCluster(new ClusterConfig(1, true)));
        report("pm1", sample(0.1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bridge.get("/v1/hosts/pm1", Bridge.READER).body().get("stale").asBoolean());
        assertThat(Scenario.texts(bridge.select(Clusters.spec(1, "")).body().get("selected"))).containsExactly("pm1");
    }

    /** Many agents at once: every 202 is on disk (a restart finds every sample), and none is lost. */
    @Test
    void concurrentSamplesAreEachAnsweredAfterTheirCommitAndSurviveARestart() throws Exception {
        bridge = new Bridge(dir);
        int hosts = 8;
        int perHost = 12;
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                String name = "pm" + h;
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < perHost; i++) {
                        statuses.add(report(name, sample(0.01 * i, vm(name + "-vm", 0.01 * i))).status());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> f : results) {
                assertThat(f.get()).containsOnly(202);
            }
        } finally {
            pool.shutdownNow();
        }
        String cluster = bridge.get("/v1/cluster", Bridge.READER).text();
        String pm3 = bridge.get("/v1/hosts/pm3", Bridge.READER).text();
        bridge.restart();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(cluster);
        assertThat(bridge.get("/v1/hosts/pm3", Bridge.READER).text()).isEqualTo(pm3);
        JsonNode pm5 = bridge.get("/v1/hosts/pm5", Bridge.READER).body();
        assertThat(pm5.get("samples")).hasSize(perHost);
        assertThat(pm5.get("cpu_util").asDouble()).isCloseTo(0.01 * (perHost - 1), within(1e-12));
    }
}
