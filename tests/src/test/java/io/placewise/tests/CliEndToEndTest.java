package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.cli.PlacewiseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code placewise} (the CLI) against the real bridge, whose migrator agents are WireMock: output formats
 * and columns, URL and token from the environment or options, errors as the problem's detail with a
 * non-zero exit, and every command of issue 13 doing what it says on the bridge.
 */
class CliEndToEndTest {
    /** Three hosts; pm1 is a CPU hotspot (92 %) whose VMs the balancer moves, pm2 runs a disk-bound VM. */
    static final String CLUSTER = """
            {"hosts": [
              {"name": "pm1", "capacity": {"vcpus": 16, "memory_mb": 32768, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.92},
              {"name": "pm2", "capacity": {"vcpus": 16, "memory_mb": 32768, "disk_gb": 500, "nic_mbps": 1000}},
              {"name": "pm3", "capacity": {"vcpus": 16, "memory_mb": 32768, "disk_gb": 500, "nic_mbps": 1000}}],
             "vms": [
              {"id": "vm1", "host": "pm1", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.46, "dirty_rate_mbps": 10, "workload": "cpu"},
              {"id": "vm2", "host": "pm1", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.46, "dirty_rate_mbps": 10, "workload": "web"},
              {"id": "db1", "host": "pm2", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "cpu_util": 0.10, "workload": "disk_io"}],
             "traffic": []}""";

    @TempDir
    Path dir;
    private CompletingAgent agent;
    private Bridge bridge;
    private final Map<String, String> env = new HashMap<>();

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return Bridge.JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() throws Exception {
        agent = new CompletingAgent();
        bridge = new Bridge(dir, agent.balancer());
        env.put("PLACEWISE_URL", "http://127.0.0.1:" + bridge.port());
        env.put("PLACEWISE_TOKEN", Bridge.ADMIN);
    }

    @AfterEach
    void stop() {
        bridge.close();
        agent.close();
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PlacewiseCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private void load() throws Exception {
        Path file = Files.writeString(dir.resolve("cluster.json"), CLUSTER);
        Run r = cli("cluster", "load", file.toString(), "-f", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("hosts").asInt()).isEqualTo(3);
        assertThat(r.json().get("vms").asInt()).isEqualTo(3);
        assertThat(r.json().get("hotspots").get(0).asText()).isEqualTo("pm1");
    }

    @Test
    void hostListAndShowInEveryFormat() throws Exception {
        load();
        Run table = cli("host", "list");
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("| name | cpu_util | mem_util | nic_util | vm_count | enabled | hotspot |")
                .containsPattern("\\| pm1 +\\| 0\\.92 .*\\| 2 +\\| true +\\| yes +\\|");
        assertThat(cli("host", "list", "-f", "value", "-c", "name", "-c", "vm_count").out()).isEqualTo("pm1 2\npm2 1\npm3 0\n");
        JsonNode list = cli("host", "list", "-f", "json").json();
        assertThat(list).hasSize(3);
        assertThat(list.get(1).get("hotspot").asText()).isEqualTo("no");

        JsonNode pm1 = cli("host", "show", "pm1", "-f", "json").json();
        assertThat(pm1.get("vms").toString()).contains("vm1", "vm2");
        assertThat(pm1.get("forecast").get("cpu_util").asDouble()).isEqualTo(0.92);
        assertThat(cli("host", "show", "pm2", "-f", "value", "-c", "hotspot").out()).isEqualTo("no\n");

        Run unknown = cli("host", "show", "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("placewise: unknown host 'nope' (HTTP 404)\n");
        Run column = cli("host", "show", "pm1", "-c", "colour");
        assertThat(column.code()).isEqualTo(2);
        assertThat(column.err()).contains("no column 'colour'");
    }

    @Test
    void urlAndTokenComeFromOptionsBeforeTheEnvironment() {
        env.put("PLACEWISE_TOKEN", "wrong");
        Run refused = cli("policy", "list");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("send a valid token").contains("(HTTP 401)");
        assertThat(cli("policy", "list", "--os-token", Bridge.READER).code()).isZero();

        env.remove("PLACEWISE_TOKEN");
        Run none = cli("host", "list");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--os-token").contains("PLACEWISE_TOKEN");

        Run away = cli("host", "list", "--os-token", Bridge.READER, "--os-url", "http://127.0.0.1:1");
        assertThat(away.code()).isEqualTo(1);
        assertThat(away.err()).contains("cannot reach the bridge at http://127.0.0.1:1/");
    }

    @Test
    void invalidInputPrintsEachBadFieldAndChangesNothing() throws Exception {
        load();
        Path bad = Files.writeString(dir.resolve("bad.json"), CLUSTER.replace("\"cpu_util\": 0.92", "\"cpu_util\": 1.7"));
        Run r = cli("cluster", "load", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("(HTTP 422)").contains("hosts[0].cpu_util:");
        assertThat(cli("cluster", "show", "-f", "json").json().get("hotspots").get(0).asText()).isEqualTo("pm1");
        Run flavor = cli("select", "--flavor", "vcpus=2,colour=red");
        assertThat(flavor.code()).isEqualTo(2);
        assertThat(flavor.err()).contains("unknown key 'colour'");
    }

    @Test
    void clusterShowSnapshotRoundTripsThroughLoadAndSyncNeedsNova() throws Exception {
        load();
        Run snap = cli("cluster", "show", "--snapshot");
        assertThat(snap.json().get("vms")).hasSize(3);
        Path copy = Files.writeString(dir.resolve("copy.json"), snap.out());
        assertThat(cli("cluster", "load", copy.toString(), "-f", "value", "-c", "vms").out()).isEqualTo("3\n");
        Run sync = cli("cluster", "sync");
        assertThat(sync.code()).isEqualTo(1);
        assertThat(sync.err()).contains("Nova is not configured").contains("(HTTP 503)");
    }

    @Test
    void selectShowsTheChoiceAndWhyEveryOtherHostLost() throws Exception {
        load();
        Run r = cli("select", "--flavor", "vcpus=2,ram=2048,disk=20", "--workload", "disk_io", "-f", "json", "--os-token", Bridge.SERVICE);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("selected").get(0).asText()).isEqualTo("pm3");
        assertThat(s.get("rejected").toString()).contains("pm1: HotspotFilter: hotspot: CPU now 92.0%")
                .contains("pm2: AffinityFilter: workload affinity: a disk_io VM would share the host with 1 disk_io VM(s)");
        Run reader = cli("select", "--flavor", "vcpus=2,ram=2048", "--os-token", Bridge.READER);
        assertThat(reader.code()).isEqualTo(1);
        assertThat(reader.err()).contains("needs the service role").contains("(HTTP 403)");
    }

    @Test
    void auditCreateExecuteWaitShowsProgressAndTheOutcome() throws Exception {
        load();
        Run r = cli("audit", "create", "--goal", "hotspot", "--execute", "--wait", "--poll-interval", "100", "-f", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("\\[\\d/\\d done] step 1\\. vm\\d (queued|running|completed)").contains("completed");
        JsonNode audit = r.json();
        assertThat(audit.get("execution").asText()).isEqualTo("completed");
        assertThat(audit.get("plan").get(0).asText()).startsWith("1. vm").contains("pm1 -> ").contains("hotspot: CPU now 92.0%");
        String id = audit.get("id").asText();

        assertThat(cli("audit", "list", "-f", "value", "-c", "id", "-c", "goal", "-c", "executed").out())
                .isEqualTo(id + " hotspot true\n");
        assertThat(cli("audit", "show", id, "-f", "value", "-c", "execution").out()).isEqualTo("completed\n");
        JsonNode migrations = cli("migration", "list", "-f", "json").json();
        assertThat(migrations).isNotEmpty();
        assertThat(migrations.get(0).get("state").asText()).isEqualTo("completed");
        assertThat(migrations.get(0).get("downtime_ms").asInt()).isEqualTo(9);
        JsonNode one = cli("migration", "show", migrations.get(0).get("id").asText(), "-f", "json").json();
        assertThat(one.get("strategy_used").asText()).isEqualTo("precopy");
        assertThat(one.get("audit_id").asText()).isEqualTo(id);
        assertThat(cli("history", "list", "-f", "value", "-c", "source").out()).startsWith("pm1\n");
    }

    @Test
    void auditExecuteOfADryRunAndTwiceIsAConflict() throws Exception {
        load();
        Run created = cli("audit", "create", "--goal", "hotspot", "-f", "value", "-c", "id", "-c", "execution");
        assertThat(created.code()).as(created.err()).isZero();
        String[] idAndState = created.out().split("\n");
        assertThat(idAndState[1]).isEqualTo("not_started");
        Run exec = cli("audit", "execute", idAndState[0], "--wait", "--poll-interval", "100", "-c", "execution", "-f", "value");
        assertThat(exec.code()).as(exec.err()).isZero();
        assertThat(exec.out()).isEqualTo("completed\n");
        Run again = cli("audit", "execute", idAndState[0]);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already executed").contains("(HTTP 409)");
        Run reader = cli("audit", "create", "--goal", "balance", "--os-token", Bridge.READER);
        assertThat(reader.code()).isEqualTo(1);
        assertThat(reader.err()).contains("needs the admin role");
    }

    /** Follows the bridge: runs once POST /v1/audits/{id}/cancel is served (and documented in /openapi.json). */
    @Test
    void auditCancelStopsStepsNotYetStarted() throws Exception {
        assumeTrue(bridge.get("/openapi.json", null).body().get("paths").has("/v1/audits/{id}/cancel"),
                "the bridge does not serve POST /v1/audits/{id}/cancel yet");
        load();
        String id = cli("audit", "create", "--goal", "hotspot", "-f", "value", "-c", "id").out().trim();
        assertThat(cli("audit", "execute", id).code()).isZero();
        Run r = cli("audit", "cancel", id, "-f", "value", "-c", "execution");
        assertThat(r.code()).as(r.err()).isZero();
        // A step already running goes on to its end (docs/balancer.md), so the plan may still read running.
        assertThat(r.out().trim()).isIn("running", "cancelled", "completed", "partially_completed");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !bridge
                .get("/v1/audits/" + id, Bridge.READER).body().get("execution").get("state").asText().equals("running"));
        assertThat(cli("audit", "show", id, "-f", "value", "-c", "execution").out().trim())
                .isIn("cancelled", "completed", "partially_completed");
    }

    @Test
    void policySetChangesAPolicyForAnAdminOnly() throws Exception {
        Run set = cli("policy", "set", "BalanceWeigher", "--disable", "--multiplier", "2.5", "-f", "json");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.json().get("enabled").asBoolean()).isFalse();
        assertThat(set.json().get("multiplier").asDouble()).isEqualTo(2.5);
        assertThat(cli("policy", "show", "BalanceWeigher", "-f", "value", "-c", "enabled", "-c", "multiplier").out())
                .isEqualTo("false\n2.5\n");
        assertThat(cli("policy", "list", "-f", "value", "-c", "name").out()).contains("HotspotFilter\n").contains("Balancer\n");

        Run param = cli("policy", "set", "HotspotFilter", "--param", "cpu_threshold=0.7");
        assertThat(param.code()).as(param.err()).isZero();
        assertThat(bridge.get("/v1/policies/HotspotFilter", Bridge.READER).body().get("params").get("cpu_threshold").asText())
                .isEqualTo("0.7");
        Run invalid = cli("policy", "set", "HotspotFilter", "--param", "cpu_threshold=lots");
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).contains("cpu_threshold");

        Run reader = cli("policy", "set", "BalanceWeigher", "--enable", "--os-token", Bridge.READER);
        assertThat(reader.code()).isEqualTo(1);
        assertThat(reader.err()).isEqualTo("placewise: this call needs the admin role (HTTP 403)\n");
        assertThat(bridge.get("/v1/policies/BalanceWeigher", Bridge.READER).body().get("enabled").asBoolean()).isFalse();
        assertThat(cli("policy", "set", "BalanceWeigher").code()).isEqualTo(2);
        assertThat(cli("policy", "set", "BalanceWeigher", "--enable", "--disable").code()).isEqualTo(2);
    }
}
