package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.VictimPolicy;
import io.placewise.bridge.config.BalancerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The balancer through the real bridge, with WireMock standing in for the migrator agents. */
class BalancerEndToEndTest {
    @TempDir
    Path dir;
    private WireMockServer agent;
    private Bridge bridge;

    @BeforeEach
    void startAgent() {
        agent = new WireMockServer(options().dynamicPort());
        agent.start();
        agent.stubFor(post(urlEqualTo("/v1/migrations")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"ok-1\"}")));
        agent.stubFor(get(urlEqualTo("/v1/migrations/ok-1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"state\": \"completed\", \"strategy_used\": \"precopy\", "
                        + "\"rounds\": [], \"downtime_ms\": 12, \"total_ms\": 2100, \"data_mb\": 260.5, \"error\": null}")));
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        agent.stop();
    }

    private Bridge bridge(VictimPolicy policy) throws Exception {
        BalancerConfig cfg = new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT.withVictimPolicy(policy),
                "http://127.0.0.1:" + agent.port(), "agent-secret", "qemu+tcp://{host}/system", 30, 20, BalancerConfig.MIGRATOR);
        bridge = new Bridge(dir, cfg);
        return bridge;
    }

    /**
     * Seed 000 §4.1: four nodes of eight 256 MiB VMs, node1 carrying half of the work (80 % CPU), the others
     * 26.7 %: C_avg 40 %, C_m 26.7 % > T 10 %.
     */
    static String seed000() {
        StringBuilder hosts = new StringBuilder();
        StringBuilder vms = new StringBuilder();
        for (int n = 1; n <= 4; n++) {
            double perVm = n == 1 ? 0.10 : 0.80 / 3 / 8;
            hosts.append(n > 1 ? "," : "").append("{\"name\": \"node").append(n).append("\", \"capacity\": {\"vcpus\": 8, ")
                    .append("\"memory_mb\": 6144, \"disk_gb\": 200, \"nic_mbps\": 1000}, \"cpu_util\": ").append(perVm * 8).append("}");
            for (int v = 1; v <= 8; v++) {
                vms.append(n + v > 2 ? "," : "").append("{\"id\": \"n").append(n).append("vm").append(v).append("\", \"host\": \"node")
                        .append(n).append("\", \"vcpus\": 1, \"memory_mb\": 256, \"disk_gb\": 5, \"cpu_util\": ").append(perVm)
                        .append(", \"dirty_rate_mbps\": 10, \"workload\": \"cpu\"}");
            }
        }
        return "{\"hosts\": [" + hosts + "], \"vms\": [" + vms + "], \"traffic\": []}";
    }

    private static final String BALANCE = "{\"goal\": \"balance\", \"dry_run\": true}";

    @Test
    void seed000AuditPlansExecutesAndReusesHistory() throws Exception {
        bridge(VictimPolicy.VOLUME);
        assertThat(bridge.admin("PUT", "/v1/cluster", seed000()).status()).isEqualTo(200);

        long sent = System.nanoTime();
        Bridge.Reply audit = bridge.admin("POST", "/v1/audits", BALANCE);
        double roundTripMs = (System.nanoTime() - sent) / 1e6;
        assertThat(audit.status()).isEqualTo(201);
        JsonNode a = audit.body();
        assertThat(a.get("goal").asText()).isEqualTo("balance");
        assertThat(a.get("triggered").asBoolean()).isTrue();
        assertThat(a.get("metrics").get("c_m").asDouble()).isGreaterThan(0.1);
        assertThat(a.get("metrics").get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(a.get("history_match").isNull()).isTrue();
        // The planner's own time, in milliseconds: it took some time, and no more than the whole request did.
        assertThat(a.get("decision_ms").asDouble()).isPositive().isLessThanOrEqualTo(roundTripMs);
        JsonNode plan = a.get("plan");
        // 10 % per VM: node1 must come down to ~50 % for a spread ≤ 20 %: three moves, fewer cannot do it.
        assertThat(plan).hasSize(3);
        Set<String> vms = new HashSet<>();
        for (int i = 0; i < plan.size(); i++) {
            JsonNode step = plan.get(i);
            assertThat(step.get("order").asInt()).isEqualTo(i + 1);
            assertThat(step.get("source").asText()).isEqualTo("node1");
            assertThat(step.get("destination").asText()).isNotEqualTo("node1");
            assertThat(step.get("strategy").asText()).isIn("precopy", "compressed", "postcopy", "throttled");
            assertThat(step.get("reason").asText()).contains("C_m");
            assertThat(vms.add(step.get("vm").asText())).isTrue();
        }
        JsonNode projected = a.get("projected");
        double max = 0;
        double min = 1;
        for (String h : List.of("node1", "node2", "node3", "node4")) {
            max = Math.max(max, projected.get(h).asDouble());
            min = Math.min(min, projected.get(h).asDouble());
        }
        assertThat((max - min) / 2).isLessThanOrEqualTo(0.1);
        String id = a.get("id").asText();
        assertThat(bridge.get("/v1/audits/" + id, Bridge.READER).body().get("plan")).isEqualTo(plan);

        // Execute: every move goes through the agent, in order, and is recorded.
        Bridge.Reply exec = bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        assertThat(exec.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> states().equals(List.of("completed", "completed", "completed")));
        agent.verify(3, postRequestedFor(urlEqualTo("/v1/migrations")).withHeader("X-Auth-Token",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("agent-secret")));
        agent.verify(postRequestedFor(urlEqualTo("/v1/migrations")).withRequestBody(containing("\"domain\":\"" + plan.get(0).get("vm").asText())));
        JsonNode migration = bridge.get("/v1/migrations/" + exec.body().get("migrations").get(0).get("id").asText(), Bridge.READER).body();
        assertThat(migration.get("state").asText()).isEqualTo("completed");
        assertThat(migration.get("result").get("downtime_ms").asInt()).isEqualTo(12);
        assertThat(bridge.admin("POST", "/v1/audits/" + id + "/execute", null).status()).isEqualTo(409);

        JsonNode history = bridge.get("/v1/history", Bridge.READER).body();
        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("id").asLong()).isGreaterThan(history.get(1).get("id").asLong());
        assertThat(history.get(0).get("load_vector").has("node1")).isTrue();
        // The live cluster shows the moved VM on its destination.
        JsonNode cluster = bridge.get("/v1/cluster", Bridge.READER).body();
        String firstVm = plan.get(0).get("vm").asText();
        for (JsonNode vm : cluster.get("vms")) {
            if (vm.get("id").asText().equals(firstVm)) {
                assertThat(vm.get("host").asText()).isEqualTo(plan.get(0).get("destination").asText());
            }
        }

        // The same situation again: the audit reuses the history record and says so.
        assertThat(bridge.admin("PUT", "/v1/cluster", seed000()).status()).isEqualTo(200);
        JsonNode again = bridge.admin("POST", "/v1/audits", BALANCE).body();
        assertThat(again.get("history_match").isNull()).isFalse();
        long recordId = again.get("history_match").get("record_id").asLong();
        List<Long> ids = new ArrayList<>();
        history.forEach(h -> ids.add(h.get("id").asLong()));
        assertThat(ids).contains(recordId);
        assertThat(again.get("plan")).hasSize(3);
        assertThat(again.get("plan").get(0).get("reason").asText()).contains("history record #");

        // History survives a restart.
        bridge.restart();
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(3);
    }

    /**
     * Issue 3's HistoryMatchWeigher over REST (seed 000 §3.1 step 3): once an executed plan has left
     * history records, the same load pattern makes the weigher prefer the destination the latest similar
     * record chose. Only the first move's record carries seed 000's original load vector (the later ones
     * were decided on the projected state), so its destination is the one preferred.
     */
    @Test
    void historyRecordsSteerTheHistoryMatchWeigher() throws Exception {
        bridge(VictimPolicy.VOLUME);
        bridge.admin("PUT", "/v1/cluster", seed000());
        JsonNode plan = bridge.admin("POST", "/v1/audits", BALANCE).body();
        bridge.admin("POST", "/v1/audits/" + plan.get("id").asText() + "/execute", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> states().equals(List.of("completed", "completed", "completed")));
        String preferred = plan.get("plan").get(0).get("destination").asText();

        bridge.admin("PUT", "/v1/cluster", seed000());
        String question = "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 256}}, \"hosts\": [\"node2\", \"node3\", \"node4\"]}";
        JsonNode weighed = bridge.send("POST", "/v1/weigh", Bridge.SERVICE, question).body().get("weighed");
        for (JsonNode w : weighed) {
            double history = w.get("by").get("HistoryMatchWeigher").asDouble();
            assertThat(history).as(w.get("host").asText()).isEqualTo(w.get("host").asText().equals(preferred) ? 1.0 : 0.0);
        }
        // node2..node4 carry equal load, so the history record alone decides the selection.
        JsonNode selected = bridge.send("POST", "/v1/select", Bridge.SERVICE, question).body().get("selected");
        assertThat(selected.get(0).asText()).isEqualTo(preferred);

        // A different load pattern matches no record: the weigher stays silent.
        bridge.send("POST", "/v1/hosts/node1/samples", Bridge.SERVICE, "{\"cpu_util\": 0.2}");
        for (JsonNode w : bridge.send("POST", "/v1/weigh", Bridge.SERVICE, question).body().get("weighed")) {
            assertThat(w.get("by").get("HistoryMatchWeigher").asDouble()).isZero();
        }
    }

    /** Issue 14 item 2: the same history record steers SAP's external-scheduler hook too. */
    @Test
    void historyRecordsSteerTheSapHookToo() throws Exception {
        bridge(VictimPolicy.VOLUME);
        bridge.admin("PUT", "/v1/cluster", seed000());
        JsonNode plan = bridge.admin("POST", "/v1/audits", BALANCE).body();
        bridge.admin("POST", "/v1/audits/" + plan.get("id").asText() + "/execute", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> states().equals(List.of("completed", "completed", "completed")));
        String preferred = plan.get("plan").get(0).get("destination").asText();

        bridge.admin("PUT", "/v1/cluster", seed000());
        com.fasterxml.jackson.databind.node.ObjectNode body = NovaExternalHookTest.fixture();
        body.put("live", false);
        com.fasterxml.jackson.databind.node.ObjectNode data = NovaExternalHookTest.data(body);
        data.putNull("instance_group").remove("scheduler_hints");
        ((com.fasterxml.jackson.databind.node.ObjectNode) data.get("flavor").get("nova_object.data"))
                .put("vcpus", 1).put("memory_mb", 256).put("root_gb", 0).remove("extra_specs");
        com.fasterxml.jackson.databind.node.ArrayNode hosts = body.putArray("hosts");
        com.fasterxml.jackson.databind.node.ObjectNode weights = body.putObject("weights");
        for (String h : List.of("node4", "node3", "node2")) {
            hosts.addObject().put("host", h).put("hypervisor_hostname", h);
            weights.put(h, 0.0);
        }
        String sap = Bridge.JSON.writeValueAsString(body);
        List<String> answer = NovaExternalHookTest.hosts(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE, sap));
        assertThat(answer.get(0)).isEqualTo(preferred);

        // A different load pattern matches no record: Nova's order stands.
        bridge.send("POST", "/v1/hosts/node1/samples", Bridge.SERVICE, "{\"cpu_util\": 0.2}");
        assertThat(NovaExternalHookTest.hosts(bridge.send("POST", NovaExternalHookTest.PATH, Bridge.SERVICE, sap)))
                .containsExactly("node4", "node3", "node2");
    }

    private List<String> states() throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode all = bridge.get("/v1/migrations", Bridge.READER).body();
        List<JsonNode> sorted = new ArrayList<>();
        all.forEach(sorted::add);
        sorted.sort((x, y) -> Integer.compare(x.get("order").asInt(), y.get("order").asInt()));
        sorted.forEach(m -> out.add(m.get("state").asText()));
        return out;
    }

    @Test
    void executorFailureStopsThePlanAndNothingIsLostAcrossARestart() throws Exception {
        bridge(VictimPolicy.VOLUME);
        bridge.admin("PUT", "/v1/cluster", seed000());
        JsonNode a = bridge.admin("POST", "/v1/audits", BALANCE).body();
        String second = a.get("plan").get(1).get("vm").asText();
        agent.stubFor(post(urlEqualTo("/v1/migrations")).withRequestBody(containing("\"domain\":\"" + second + "\""))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("{\"id\": \"bad-2\"}")));
        agent.stubFor(get(urlEqualTo("/v1/migrations/bad-2")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"state\": \"failed\", \"error\": \"libvirt: unable to connect to the destination\"}")));

        assertThat(bridge.admin("POST", "/v1/audits/" + a.get("id").asText() + "/execute", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> states().equals(List.of("completed", "failed", "skipped")));
        agent.verify(2, postRequestedFor(urlEqualTo("/v1/migrations")));

        bridge.restart();
        assertThat(states()).containsExactly("completed", "failed", "skipped");
        JsonNode failed = null;
        for (JsonNode m : bridge.get("/v1/migrations", Bridge.READER).body()) {
            if (m.get("state").asText().equals("failed")) {
                failed = m;
            }
        }
        assertThat(failed.get("error").asText()).contains("unable to connect");
        assertThat(bridge.get("/v1/audits/" + a.get("id").asText(), Bridge.READER).status()).isEqualTo(200);
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);
    }

    /**
     * Seed 004 §4.2.1, Table 4.2 (CPU overload of PM1), as a what-if snapshot. Utilisations are ours (the
     * paper gives sessions): VM1 (front tier of group 1, feeding VM2 over 300 Mbit/s of IDC) 26 %, VM4
     * (server+database alone in group 3) 24 %, VM2 20 %, VM3 18 %: PM1 at 88 % > 85 %.
     */
    static String seed004() {
        String host = "\"capacity\": {\"vcpus\": 4, \"memory_mb\": 2048, \"disk_gb\": 80, \"nic_mbps\": 1000}";
        return "{\"hosts\": ["
                + "{\"name\": \"PM1\", " + host + ", \"cpu_util\": 0.88, \"nic_util\": 0.05},"
                + "{\"name\": \"PM2\", " + host + ", \"cpu_util\": 0.40},"
                + "{\"name\": \"PM3\", " + host + ", \"cpu_util\": 0.20},"
                + "{\"name\": \"PM4\", " + host + ", \"cpu_util\": 0.05}],"
                + "\"vms\": [" + vm("VM1", "PM1", 0.26, "g1") + "," + vm("VM2", "PM1", 0.20, "g1") + ","
                + vm("VM3", "PM1", 0.18, "g2") + "," + vm("VM4", "PM1", 0.24, "g3") + "," + vm("VM5", "PM2", 0.20, "g5") + ","
                + vm("VM6", "PM2", 0.20, "g4") + "," + vm("VM7", "PM3", 0.20, "g5") + "],"
                + "\"traffic\": [{\"src\": \"VM1\", \"dst\": \"VM2\", \"mbps\": 300}, {\"src\": \"VM5\", \"dst\": \"VM7\", \"mbps\": 100}]}";
    }

    private static String vm(String id, String host, double cpu, String group) {
        return "{\"id\": \"" + id + "\", \"host\": \"" + host + "\", \"vcpus\": 1, \"memory_mb\": 256, \"disk_gb\": 10, "
                + "\"cpu_util\": " + cpu + ", \"mem_util\": 0.5, \"dirty_rate_mbps\": 20, \"workload\": \"web\", \"group\": \"" + group + "\"}";
    }

    @Test
    void seed004VolumeMovesTheIsolatedVmWithEveryPolicyApplying() throws Exception {
        bridge(VictimPolicy.VOLUME);
        String before = bridge.get("/v1/cluster", Bridge.READER).text();
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": true, \"cluster\": " + seed004() + "}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("triggered").asBoolean()).isTrue();
        assertThat(r.body().get("metrics").get("hotspots").get(0).asText()).isEqualTo("PM1");
        assertThat(r.body().get("plan")).hasSize(1);
        assertThat(r.body().get("plan").get(0).get("vm").asText()).isEqualTo("VM4");
        assertThat(r.body().get("projected").get("PM1").asDouble()).isLessThan(0.85);
        // What-if: nothing live changed, and the audit cannot be executed.
        assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(before);
        assertThat(bridge.admin("POST", "/v1/audits/" + r.body().get("id").asText() + "/execute", null).status()).isEqualTo(409);
    }

    @Test
    void seed004VsrBaselineSplitsTheGroup() throws Exception {
        bridge(VictimPolicy.VSR);
        JsonNode a = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"cluster\": " + seed004() + "}").body();
        assertThat(a.get("plan").get(0).get("vm").asText()).isEqualTo("VM1");
        assertThat(a.get("plan").get(0).get("reason").asText()).contains("VSR");
    }

    @Test
    void badInputIsAProblemAndChangesNothing() throws Exception {
        bridge(VictimPolicy.VOLUME);
        bridge.admin("PUT", "/v1/cluster", seed000());
        for (String body : List.of("{}", "{\"goal\": \"tidy\"}", "{\"goal\": 3}", "{\"goal\": \"balance\", \"dry_run\": \"yes\"}",
                "{\"goal\": \"balance\", \"cluster\": {\"hosts\": [], \"vms\": [{\"id\": \"x\", \"host\": \"nowhere\"}]}}",
                "{\"goal\": \"balance\", \"dry_run\": false, \"cluster\": " + seed000() + "}", "[1]", "{\"goal\": ")) {
            Bridge.Reply r = bridge.admin("POST", "/v1/audits", body);
            assertThat(r.status()).as(body).isBetween(400, 422);
            assertThat(r.isProblem()).as(body).isTrue();
        }
        Bridge.Reply unknownHost = bridge.admin("POST", "/v1/audits",
                "{\"goal\": \"balance\", \"cluster\": {\"hosts\": [], \"vms\": [{\"id\": \"x\", \"host\": \"nowhere\"}]}}");
        assertThat(unknownHost.text()).contains("vms[0].host");
        Bridge.Reply badGoal = bridge.admin("POST", "/v1/audits", "{\"goal\": \"tidy\"}");
        assertThat(badGoal.body().get("errors").get(0).get("field").asText()).isEqualTo("goal");
        assertThat(bridge.get("/v1/audits/nope", Bridge.READER).status()).isEqualTo(404);
        assertThat(bridge.admin("POST", "/v1/audits/nope/execute", null).status()).isEqualTo(404);
        assertThat(bridge.get("/v1/migrations/nope", Bridge.READER).status()).isEqualTo(404);
        assertThat(bridge.get("/v1/migrations", Bridge.READER).body()).isEmpty();
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).isEmpty();
    }

    @Test
    void auditsNeedAdminAndGetsAnyRole() throws Exception {
        bridge(VictimPolicy.VOLUME);
        bridge.admin("PUT", "/v1/cluster", seed000());
        assertThat(bridge.send("POST", "/v1/audits", null, BALANCE).status()).isEqualTo(401);
        assertThat(bridge.send("POST", "/v1/audits", Bridge.SERVICE, BALANCE).status()).isEqualTo(403);
        assertThat(bridge.send("POST", "/v1/audits", Bridge.READER, BALANCE).status()).isEqualTo(403);
        String id = bridge.admin("POST", "/v1/audits", BALANCE).body().get("id").asText();
        assertThat(bridge.send("POST", "/v1/audits/" + id + "/execute", Bridge.SERVICE, null).status()).isEqualTo(403);
        assertThat(bridge.send("POST", "/v1/audits/" + id + "/execute", Bridge.READER, null).status()).isEqualTo(403);
        for (String token : List.of(Bridge.READER, Bridge.SERVICE, Bridge.ADMIN)) {
            assertThat(bridge.get("/v1/audits/" + id, token).status()).isEqualTo(200);
            assertThat(bridge.get("/v1/history", token).status()).isEqualTo(200);
            assertThat(bridge.get("/v1/migrations", token).status()).isEqualTo(200);
        }
        assertThat(bridge.get("/v1/history", null).status()).isEqualTo(401);
        assertThat(bridge.get("/v1/migrations", Bridge.READER).body()).isEmpty();
    }

    @Test
    void balancerIsListedAmongThePolicies() throws Exception {
        bridge(VictimPolicy.VSR);
        JsonNode balancer = null;
        for (JsonNode p : bridge.get("/v1/policies", Bridge.READER).body()) {
            if (p.get("kind").asText().equals("balancer")) {
                balancer = p;
            }
        }
        assertThat(balancer).isNotNull();
        assertThat(balancer.get("params").get("victim_policy").asText()).isEqualTo("vsr");
        assertThat(balancer.toString()).doesNotContain("agent-secret");
        assertThat(bridge.admin("PATCH", "/v1/policies/Balancer", "{\"enabled\": true}").status()).isEqualTo(409);
    }
}
