package io.placewise.tests;

import static io.placewise.tests.Scenario.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/audits {"goal": "consolidate"}} on the real bridge with its real filters (seed 001 §IV
 * consolidation). The live cluster:
 * <ul>
 * <li>pm1 60 %: db1 (disk_io, 30 %) and c1 (cpu, 30 %);</li>
 * <li>pm2 40 %: c2 (cpu, 40 %);</li>
 * <li>pm3 10 %: db2 (disk_io, 10 %, 1 GiB): the cheapest host to free;</li>
 * <li>pm4: empty and powered.</li>
 * </ul>
 * db2 would best fit on pm1 (the fullest, 70 % after), but AffinityFilter's workload matrix refuses disk_io next
 * to disk_io (seed 002 §3.2, score −1 below the floor −0.8): it goes to pm2 (50 %). pm1 cannot be freed next: db1
 * would now meet db2 on pm2, and c1 alone does not free it. Freed: pm3 (evacuated) and pm4 (empty).
 */
class ConsolidateRestTest {
    static final String CLUSTER = """
            {"hosts": [
              {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.6},
              {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.4},
              {"name": "pm3", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.1},
              {"name": "pm4", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.0}],
             "vms": [
              {"id": "db1", "host": "pm1", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.3, "workload": "disk_io"},
              {"id": "c1", "host": "pm1", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.3, "workload": "cpu"},
              {"id": "c2", "host": "pm2", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.4, "workload": "cpu"},
              {"id": "db2", "host": "pm3", "vcpus": 1, "memory_mb": 1024, "cpu_util": 0.1, "workload": "disk_io"}]}""";

    /** Host a is a hotspot, b cannot take its VMs, and the only other host is switched off. */
    static final String HOT_BESIDE_A_SWITCHED_OFF_HOST = """
            {"hosts": [
              {"name": "a", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.95},
              {"name": "b", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.8},
              {"name": "off", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.0, "enabled": false}],
             "vms": [
              {"id": "v1", "host": "a", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.5, "workload": "cpu"},
              {"id": "v2", "host": "a", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.45, "workload": "mixed"},
              {"id": "v3", "host": "b", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.8, "workload": "mixed"}]}""";

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir);
        Scenario.put(bridge, CLUSTER);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void consolidationFreesHostsWithinEveryFilterAndReportsThem() throws Exception {
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", "{\"goal\": \"consolidate\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode audit = r.body();
        assertThat(audit.get("goal").asText()).isEqualTo("consolidate");
        assertThat(audit.get("triggered").asBoolean()).isTrue();
        assertThat(audit.get("dry_run").asBoolean()).isTrue();
        assertThat(audit.get("plan")).hasSize(1);
        JsonNode step = audit.get("plan").get(0);
        assertThat(step.get("vm").asText()).isEqualTo("db2");
        assertThat(step.get("source").asText()).isEqualTo("pm3");
        assertThat(step.get("destination").asText()).isEqualTo("pm2");
        assertThat(step.get("reason").asText()).contains("consolidate").contains("freeing pm3");
        assertThat(texts(audit.get("freed_hosts"))).containsExactly("pm3", "pm4");
        assertThat(texts(audit.get("woken_hosts"))).isEmpty();
        // The projection shows what stays powered.
        assertThat(audit.get("projected").has("pm3")).isFalse();
        assertThat(audit.get("projected").get("pm2").asDouble()).isEqualTo(0.5);

        // Stored as answered; a dry run changed nothing live.
        JsonNode again = bridge.get("/v1/audits/" + audit.get("id").asText(), Bridge.READER).body();
        assertThat(again.get("freed_hosts")).isEqualTo(audit.get("freed_hosts"));
        JsonNode live = bridge.get("/v1/cluster", Bridge.READER).body();
        java.util.Map<String, String> hostOf = new java.util.HashMap<>();
        live.get("vms").forEach(v -> hostOf.put(v.get("id").asText(), v.get("host").asText()));
        assertThat(hostOf).containsEntry("db2", "pm3").containsEntry("db1", "pm1").containsEntry("c2", "pm2");
    }

    @Test
    void aWhatIfClusterWakesASwitchedOffHostForAHotspot() throws Exception {
        String whatIf = "{\"goal\": \"consolidate\", \"cluster\": " + HOT_BESIDE_A_SWITCHED_OFF_HOST + "}";
        JsonNode audit = bridge.admin("POST", "/v1/audits", whatIf).body();
        assertThat(audit.get("what_if").asBoolean()).isTrue();
        assertThat(texts(audit.get("woken_hosts"))).containsExactly("off");
        assertThat(audit.get("plan").findValuesAsText("destination")).containsExactly("off");
        assertThat(audit.get("notes").toString()).contains("woke off");
    }

    /** Seed 001 §IV carried out: the executed plan's freed hosts end switched off, once they are empty. */
    @Test
    void anExecutedPlanSwitchesOffTheHostsItFreed() throws Exception {
        bridge.close();
        try (CompletingAgent agent = new CompletingAgent()) {
            bridge = new Bridge(dir, agent.balancer());
            JsonNode audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"consolidate\", \"dry_run\": false}").body();
            String id = audit.get("id").asText();
            JsonNode execution = awaitSwitches(id, 2);
            assertThat(execution.get("state").asText()).isEqualTo("completed");
            assertThat(execution.get("host_switches").findValuesAsText("host")).containsExactlyInAnyOrder("pm3", "pm4");
            assertThat(execution.get("host_switches").findValuesAsText("action")).containsOnly("switch_off");
            assertThat(execution.get("host_switches").findValuesAsText("outcome")).containsOnly("done");

            // Off in the live cluster: db2 moved to pm2, and nothing is placed on pm3 or pm4 any more.
            java.util.Map<String, Boolean> enabled = new java.util.HashMap<>();
            bridge.get("/v1/cluster", Bridge.READER).body().get("hosts")
                    .forEach(h -> enabled.put(h.get("name").asText(), h.get("enabled").asBoolean()));
            assertThat(enabled).containsEntry("pm1", true).containsEntry("pm2", true)
                    .containsEntry("pm3", false).containsEntry("pm4", false);
            JsonNode select = bridge.send("POST", "/v1/select", Bridge.SERVICE, "{\"spec\": {\"instance_uuid\": \"new\", "
                    + "\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512, \"disk_gb\": 1}, \"workload\": \"cpu\"}}").body();
            assertThat(texts(select.get("selected"))).hasSize(1).doesNotContain("pm3", "pm4");
            assertThat(select.get("weighed").findValuesAsText("host")).isNotEmpty().doesNotContain("pm3", "pm4");
        }
    }

    /** A live cluster with a switched-off host: the plan switches it on before moving the hot host's VM there. */
    @Test
    void anExecutedPlanSwitchesOnTheHostItWakesBeforeItsFirstStep() throws Exception {
        bridge.close();
        try (CompletingAgent agent = new CompletingAgent()) {
            bridge = new Bridge(dir, agent.balancer());
            Scenario.put(bridge, HOT_BESIDE_A_SWITCHED_OFF_HOST);
            JsonNode audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"consolidate\", \"dry_run\": false}").body();
            assertThat(texts(audit.get("woken_hosts"))).containsExactly("off");
            JsonNode execution = awaitSwitches(audit.get("id").asText(), 1);
            assertThat(execution.get("steps").get(0).get("state").asText())
                    .as("not skipped for a disabled destination").isEqualTo("completed");
            JsonNode on = execution.get("host_switches").get(0);
            assertThat(on.get("host").asText()).isEqualTo("off");
            assertThat(on.get("action").asText()).isEqualTo("switch_on");
            assertThat(on.get("outcome").asText()).isEqualTo("done");
            JsonNode host = bridge.get("/v1/hosts/off", Bridge.READER).body();
            assertThat(host.get("enabled").asBoolean()).isTrue();
        }
    }

    /** Waits for the plan to end and at least {@code n} host switches to be recorded; the audit's execution. */
    private JsonNode awaitSwitches(String auditId, int n) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        JsonNode execution = null;
        while (System.nanoTime() < end) {
            execution = bridge.get("/v1/audits/" + auditId, Bridge.READER).body().get("execution");
            String state = execution.get("state").asText();
            boolean over = !state.equals("running") && !state.equals("not_started");
            if (over && execution.get("host_switches").size() >= n) {
                return execution;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the plan of audit " + auditId + " did not end with " + n + " host switch(es): " + execution);
    }

    @Test
    void anUnknownGoalNamesTheThreeGoals() throws Exception {
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", "{\"goal\": \"pack\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("errors").get(0).get("message").asText()).contains("balance, hotspot, consolidate");
    }
}
