package io.placewise.migrator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.migrator.agent.AgentServer;
import io.placewise.migrator.agent.config.AgentConfig;
import io.placewise.migrator.agent.config.AgentConfigLoader;
import io.placewise.precopy.PreCopyEstimate;
import io.placewise.precopy.PreCopyInput;
import io.placewise.precopy.PreCopyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real agent (one per lab host, real libvirt, real QEMU) driven through its REST API, as the
 * bridge's executor would (SPEC "Migrator"; LAB.md): an idle guest moves with plain pre-copy; a
 * guest dirtying 100 MiB/s of random pages over a 50 MiB/s link is beyond seed 003's barrier, so
 * plain pre-copy never converges and the monitor aborts it (the VM keeps running on its source),
 * while {@code auto} completes within 300 ms of downtime; post-copy, XBZRLE and throttling each
 * complete; an operator abort of a throttled migration puts the CPU share back; memwriter never
 * reports corruption. Runs with {@code mvn -Plab verify -pl migrator -am} as root; brings the lab
 * up if it is down and then takes it down again. One busy guest at a time (2 cores).
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabMigrationTest {
    static final String TOKEN = "lab-service";
    static final double CAP_50_MIBS = 419.44; // Mbit/s: 50 MiB/s, LAB.md's repeatable cap
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    boolean startedLab;
    AgentServer agentA;
    AgentServer agentB;
    final List<String> results = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        if (!Lab.isUp()) {
            Lab.script("setup.sh");
            Lab.script("up.sh");
            startedLab = true;
        }
        assertThat(Lab.isUp()).as("lab bridge labbr0 10.77.0.254/24").isTrue();
        Path data = Files.createDirectories(Path.of("target", "lab-agents")).toAbsolutePath();
        agentA = AgentServer.start(config("A", Lab.URI_A, data));
        agentB = AgentServer.start(config("B", Lab.URI_B, data));
    }

    static AgentConfig config(String host, String uri, Path data) {
        Map<String, Map<String, String>> s = new HashMap<>();
        s.put("DEFAULT", Map.of("bind_host", "127.0.0.1", "bind_port", "0",
                "database_url", "jdbc:h2:file:" + data.resolve("agent" + host + "-" + System.currentTimeMillis())));
        s.put("auth", Map.of("service_tokens", TOKEN));
        s.put("libvirt", Map.of("uri", uri, "cgroup_root", "/sys/fs/cgroup/cpu/lab" + host));
        // A 256 MiB guest: give up after 30 s without a new low, or after 60 s in all. The dirty
        // rate is measured over 1 s, about one later pass at 50 MiB/s: a 64 MiB hot set measured
        // over 2 s looks half as hot as it is to a pass. The 5 % floor: memwriter paces itself at
        // 100 MiB/s out of ~500 MiB/s it could write under TCG, so only a share below 20 % slows it.
        s.put("migrator", Map.of("poll_interval_ms", "200", "no_progress_timeout_s", "30",
                "completion_timeout_s_per_gib", "240", "dirty_rate_window_s", "1", "max_downtime_ms", "300",
                "throttle_floor_pct", "5"));
        s.put("profiler", Map.of("host_name", "lab" + host));
        return AgentConfigLoader.fromSections("lab " + host, s);
    }

    @AfterAll
    void down() {
        try {
            if (agentA != null) {
                agentA.close();
            }
            if (agentB != null) {
                agentB.close();
            }
            for (String g : List.of("pw-idle", "pw-dirty", "pw-word")) {
                Lab.destroy(g);
            }
        } finally {
            if (startedLab) {
                Lab.script("down.sh");
            }
            System.out.println("\n=== lab results (model: seed 003 Eqs. 1-5 with M = 256 MiB, B = the measured "
                    + "transfer rate, p = the first round's dirty rate) ===");
            results.forEach(System.out::println);
            try {
                Files.write(Path.of("target", "lab-results.txt"), results);
            } catch (Exception e) {
                // the console has them
            }
        }
    }

    // --- scenarios -------------------------------------------------------------------------

    @Test
    @Order(1)
    void idleGuestMigratesWithPrecopy() throws Exception {
        Lab.script("define-guest.sh", "pw-idle", "64", "0", "word");
        JsonNode m = migrate(agentA, "pw-idle", "precopy", null);
        assertCompleted(m, "pw-idle", Lab.URI_B, Lab.URI_A);
        Lab.destroy("pw-idle");
    }

    @Test
    @Order(2)
    void precopyBeyondTheBarrierIsAbortedByTheMonitorAndTheVmStaysOnItsSource() throws Exception {
        Lab.script("define-guest.sh", "pw-dirty", "64", "100", "page");
        String quota = Lab.vcpuQuota(Lab.URI_A, "pw-dirty");
        JsonNode m = migrate(agentA, "pw-dirty", "precopy", CAP_50_MIBS);
        record("precopy, 100 MiB/s page writer, 50 MiB/s cap", m);
        assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("aborted");
        assertThat(m.get("error").asText()).containsAnyOf("no progress", "longer than");
        assertThat(m.get("rounds").size()).isGreaterThanOrEqualTo(3);
        assertStillHere(m, "pw-dirty", Lab.URI_A, quota);
    }

    @Test
    @Order(3)
    void operatorAbortOfAThrottledMigrationRestoresTheCpuShare() throws Exception {
        String quota = Lab.vcpuQuota(Lab.URI_A, "pw-dirty");
        // 20 MiB/s: slower than the guest dirties its hot set, so it keeps running until aborted.
        String id = order(agentA, "pw-dirty", "throttled", 167.78);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode r = get(agentA, id).get("rounds");
            return r.size() >= 2 && r.get(r.size() - 1).get("cpu_share_pct").asDouble() < 100;
        });
        HttpResponse<String> del = send(agentA, "DELETE", "/v1/migrations/" + id, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(202);
        JsonNode m = awaitEnd(agentA, id);
        record("throttled, operator abort at 20 MiB/s", m);
        assertThat(m.get("state").asText()).isEqualTo("aborted");
        assertStillHere(m, "pw-dirty", Lab.URI_A, quota);
    }

    @Test
    @Order(4)
    void autoCompletesWithinTheDowntimeLimitWherePrecopyCouldNot() throws Exception {
        JsonNode m = migrate(agentA, "pw-dirty", "auto", CAP_50_MIBS);
        assertCompleted(m, "pw-dirty", Lab.URI_B, Lab.URI_A);
        assertThat(m.get("reason").asText()).startsWith("auto: ");
        assertThat(m.get("downtime_ms").asLong()).isLessThanOrEqualTo(300);
    }

    @Test
    @Order(5)
    void postcopyCompletes() throws Exception {
        JsonNode m = migrate(agentB, "pw-dirty", "postcopy", CAP_50_MIBS);
        assertCompleted(m, "pw-dirty", Lab.URI_A, Lab.URI_B);
        assertThat(m.get("reason").asText()).contains("switched to post-copy");
    }

    @Test
    @Order(6)
    void throttledCompletesAndTheShareIsRestoredOnTheDestination() throws Exception {
        String quota = Lab.vcpuQuota(Lab.URI_A, "pw-dirty");
        JsonNode m = migrate(agentA, "pw-dirty", "throttled", CAP_50_MIBS);
        assertCompleted(m, "pw-dirty", Lab.URI_B, Lab.URI_A);
        assertThat(m.get("rounds").findValues("cpu_share_pct")).anyMatch(v -> v.asDouble() < 100);
        assertThat(Lab.vcpuQuota(Lab.URI_B, "pw-dirty")).isEqualTo(quota);
        Lab.destroy("pw-dirty");
    }

    @Test
    @Order(7)
    void compressedCompletesForAWordModeWriter() throws Exception {
        Lab.script("define-guest.sh", "pw-word", "64", "100", "word");
        JsonNode m = migrate(agentA, "pw-word", "compressed", CAP_50_MIBS);
        assertCompleted(m, "pw-word", Lab.URI_B, Lab.URI_A);
        Lab.destroy("pw-word");
    }

    // --- helpers ---------------------------------------------------------------------------

    JsonNode migrate(AgentServer agent, String domain, String strategy, Double mbps) throws Exception {
        return awaitEnd(agent, order(agent, domain, strategy, mbps));
    }

    String order(AgentServer agent, String domain, String strategy, Double mbps) throws Exception {
        String dest = agent == agentA ? Lab.URI_B : Lab.URI_A;
        String body = "{\"domain\":\"" + domain + "\",\"destination_uri\":\"" + dest + "\",\"strategy\":\"" + strategy
                + "\"" + (mbps == null ? "" : ",\"bandwidth_mbps\":" + mbps) + "}";
        HttpResponse<String> r = send(agent, "POST", "/v1/migrations", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("id").asText();
    }

    JsonNode awaitEnd(AgentServer agent, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = get(agent, id);
            String s = last[0].get("state").asText();
            return !s.equals("queued") && !s.equals("running");
        });
        return last[0];
    }

    JsonNode get(AgentServer agent, String id) throws Exception {
        return JSON.readTree(send(agent, "GET", "/v1/migrations/" + id, null).body());
    }

    static HttpResponse<String> send(AgentServer agent, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .timeout(Duration.ofSeconds(30)).header("X-Auth-Token", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertCompleted(JsonNode m, String domain, String dest, String src) {
        record(m.get("strategy").asText() + " -> " + m.get("strategy_used").asText() + " (" + domain + ")", m);
        assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("completed");
        assertThat(Lab.state(dest, domain)).isEqualTo("running");
        assertThat(Lab.state(src, domain)).isNotEqualTo("running");
        assertGuestHealthy(domain);
    }

    void assertStillHere(JsonNode m, String domain, String uri, String quota) {
        assertThat(Lab.state(uri, domain)).as("the VM keeps running on its source").isEqualTo("running");
        assertThat(Lab.vcpuQuota(uri, domain)).as("CPU share as before").isEqualTo(quota);
        assertGuestHealthy(domain);
    }

    static void assertGuestHealthy(String domain) {
        long before = Lab.heartbeats(domain);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Lab.heartbeats(domain) >= before + 2);
        assertThat(Lab.consoleText(domain)).doesNotContain("MEMWRITER CORRUPTION").doesNotContain("Kernel panic")
                .doesNotContain("MEMWRITER EXITED").doesNotContain("MEMWRITER FATAL");
    }

    static double median(JsonNode rounds, String field) {
        List<Double> v = new ArrayList<>();
        rounds.forEach(r -> {
            if (r.get(field).asDouble() > 0) {
                v.add(r.get(field).asDouble());
            }
        });
        v.sort(Double::compare);
        return v.isEmpty() ? 0 : v.get(v.size() / 2);
    }

    void record(String what, JsonNode m) {
        JsonNode rounds = m.get("rounds");
        String model = "-";
        if (rounds.size() > 0) {
            // Medians over the passes libvirt measured (it reports 0 until a pass has ended).
            double p = median(rounds, "dirty_rate_mbps");
            double b = median(rounds, "transfer_rate_mbps");
            if (b > 0) {
                PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(256, b, p));
                model = String.format(Locale.ROOT, "p %.0f, B %.0f Mbit/s, barrier %.0f: %s", p, b, e.barrierMbps(),
                        e.converges() ? String.format(Locale.ROOT, "pre-copy %d rounds, %.1f s, downtime %.0f ms, %.0f MiB",
                                e.rounds(), e.totalS(), e.downtimeS() * 1000, e.dataMib())
                                : String.format(Locale.ROOT, "pre-copy does not converge (downtime %.2f s after %d rounds)",
                                        e.downtimeS(), e.rounds()));
            }
        }
        String line = String.format(Locale.ROOT, "%-50s %-9s total %6s ms  downtime %5s ms  data %7s MiB  rounds %2d | model: %s",
                what, m.get("state").asText(), m.get("total_ms").asText(), m.get("downtime_ms").asText(),
                m.get("data_mb").isNull() ? "-" : String.format(Locale.ROOT, "%.1f", m.get("data_mb").asDouble()),
                rounds.size(), model);
        results.add(line);
        System.out.println(line);
        System.out.println("  reason: " + m.get("reason").asText() + (m.get("error").isNull() ? "" : "; error: "
                + m.get("error").asText()));
    }
}
