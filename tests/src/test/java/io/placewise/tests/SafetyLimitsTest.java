package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.execution.ExecutionSettings;
import io.placewise.bridge.config.BalancerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 4, the safety limits of {@code [balancer]} with the real bridge and WireMock agents:
 * {@code max_parallel_per_host}, {@code max_parallel}, {@code vm_cooldown_s}, {@code max_moves_per_hour}
 * and the periodic balancer's {@code trigger_after}.
 */
class SafetyLimitsTest extends AgentsAndBridge {
    /** How long nothing more must happen when a limit holds a step back. */
    static final Duration HELD = Duration.ofMillis(1500);

    /**
     * Two overloaded hosts with one VM each and two idle ones: the hotspot plan moves a1 off h1 and b1
     * off h2, each to a different idle host (the second idle host is the least loaded once the first
     * move is projected), so its two steps share no host.
     */
    static final String TWO_HOTSPOTS = """
            {"hosts": [
              {"name": "h1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.95},
              {"name": "h2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.93},
              {"name": "c1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.05},
              {"name": "c2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.06}],
             "vms": [
              {"id": "a1", "host": "h1", "vcpus": 2, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.5, "workload": "cpu"},
              {"id": "b1", "host": "h2", "vcpus": 2, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.5, "workload": "cpu"}]}""";

    List<String> states(String id) throws Exception {
        return stepStates(id);
    }

    String executed(String goal) throws Exception {
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", "{\"goal\": \"" + goal + "\", \"dry_run\": false}");
        assertThat(r.status()).isEqualTo(201);
        return r.body().get("id").asText();
    }

    /** Nothing more reaches the agents for a while: the limit holds. */
    void noMoreOrdersThan(int n) throws Exception {
        long until = System.nanoTime() + HELD.toNanos();
        while (System.nanoTime() < until) {
            assertThat(agents.orders()).hasSize(n);
            Thread.sleep(100);
        }
    }

    @Test
    void stepsThatShareNoHostRunSideBySide() throws Exception {
        start(agents.config(AgentFarm.limits(1, 4, 0)), TWO_HOTSPOTS);
        String id = executed("hotspot");
        JsonNode plan = audit(id).get("plan");
        assertThat(plan).hasSize(2);
        Set<String> hosts = new HashSet<>();
        plan.forEach(p -> {
            hosts.add(p.get("source").asText());
            hosts.add(p.get("destination").asText());
        });
        assertThat(hosts).as("independent steps").hasSize(4);

        await().atMost(WAIT).until(() -> agents.orders().size() == 2);
        assertThat(states(id)).containsExactly("running", "running");
        agents.allComplete();
        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("completed"));
    }

    @Test
    void maxParallelHoldsIndependentStepsBackClusterWide() throws Exception {
        start(agents.config(AgentFarm.limits(1, 1, 0)), TWO_HOTSPOTS);
        String id = executed("hotspot");
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        noMoreOrdersThan(1);
        assertThat(states(id)).containsExactly("running", "queued");

        String first = agents.orders().get(0).vm();
        agents.ends(agents.orders().get(0).host(), first, "completed");
        await().atMost(WAIT).until(() -> agents.orders().size() == 2);
        agents.allComplete();
        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("completed"));
    }

    @Test
    void stepsSharingAHostStartInThePlansOrderWithinMaxParallelPerHost() throws Exception {
        start(agents.config(AgentFarm.limits(2, 4, 0)), BalancerEndToEndTest.seed000());
        JsonNode a = bridge.admin("POST", "/v1/audits", BALANCE).body();
        String id = a.get("id").asText();
        bridge.admin("POST", "/v1/audits/" + id + "/execute", null);

        // Every step moves a VM off node1: two at a time there, the third waits.
        await().atMost(WAIT).until(() -> agents.orders().size() == 2);
        noMoreOrdersThan(2);
        assertThat(states(id)).containsExactly("running", "running", "queued");
        agents.allComplete();
        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("completed"));
        List<String> planned = new ArrayList<>();
        a.get("plan").forEach(p -> planned.add(p.get("vm").asText()));
        List<String> ordered = agents.orders().stream().map(AgentFarm.Order::vm).toList();
        assertThat(ordered.subList(0, 2)).containsExactlyInAnyOrderElementsOf(planned.subList(0, 2));
        assertThat(ordered.get(2)).isEqualTo(planned.get(2));
        JsonNode steps = audit(id).get("execution").get("steps");
        for (int i = 1; i < steps.size(); i++) {
            assertThat(java.time.Instant.parse(steps.get(i).get("started_at").asText())).as("started in the seed 002 order")
                    .isAfterOrEqualTo(java.time.Instant.parse(steps.get(i - 1).get("started_at").asText()));
        }
    }

    @Test
    void aMigratedVmIsNeitherPlannedNorMovedAgainWithinTheCooldown() throws Exception {
        start(agents.config(ExecutionSettings.DEFAULT), BalancerEndToEndTest.seed000());
        agents.allComplete();
        JsonNode early = bridge.admin("POST", "/v1/audits", BALANCE).body();
        String first = executed("balance");
        await().atMost(WAIT).until(() -> audit(first).get("execution").get("state").asText().equals("completed"));
        Set<String> moved = new HashSet<>();
        audit(first).get("plan").forEach(p -> moved.add(p.get("vm").asText()));

        // The same load again (the operator puts the VMs back): the audit picks other VMs.
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        JsonNode again = bridge.admin("POST", "/v1/audits", BALANCE).body();
        assertThat(again.get("plan")).isNotEmpty();
        again.get("plan").forEach(p -> assertThat(moved).doesNotContain(p.get("vm").asText()));

        // An audit planned before the moves names the same VMs: executed now, its steps are skipped.
        String earlyId = early.get("id").asText();
        Set<String> earlyVms = new HashSet<>();
        early.get("plan").forEach(p -> earlyVms.add(p.get("vm").asText()));
        assertThat(earlyVms).isEqualTo(moved);
        int before = agents.orders().size();
        bridge.admin("POST", "/v1/audits/" + earlyId + "/execute", null);
        await().atMost(WAIT).until(() -> audit(earlyId).get("execution").get("state").asText().equals("failed"));
        for (JsonNode s : audit(earlyId).get("execution").get("steps")) {
            assertThat(s.get("state").asText()).isEqualTo("skipped");
            assertThat(s.get("error").asText()).contains("within vm_cooldown_s = 1800");
        }
        assertThat(agents.orders()).hasSize(before);
    }

    /** A blocked destination is not tried over and over: a VM whose move failed is not planned within failed_move_cooldown_s. */
    @Test
    void aVmWhoseMigrationFailedIsNotPlannedAgainWithinTheFailedMoveCooldown() throws Exception {
        start(agents.config(ExecutionSettings.DEFAULT), TWO_HOTSPOTS);
        agents.ends("h1", "a1", "failed");
        agents.ends("h2", "b1", "completed");
        String first = executed("hotspot");
        await().atMost(WAIT).until(() -> !audit(first).get("execution").get("state").asText().equals("running"));
        assertThat(audit(first).get("execution").get("state").asText()).isEqualTo("partially_completed");

        // The same load again: a1 (failed) and b1 (migrated) both stay; another audit plans neither.
        bridge.admin("PUT", "/v1/cluster", TWO_HOTSPOTS);
        JsonNode again = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\"}").body();
        assertThat(again.get("plan").findValuesAsText("vm")).doesNotContain("a1", "b1");

        // With the cooldown off, the failed VM is an ordinary candidate again (b1 stays within vm_cooldown_s).
        bridge.close();
        start(agents.config(ExecutionSettings.DEFAULT.withFailedMoveCooldown(Duration.ZERO)), TWO_HOTSPOTS);
        JsonNode off = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\"}").body();
        assertThat(off.get("plan").findValuesAsText("vm")).containsExactly("a1");
    }

    @Test
    void theHourlyBudgetSkipsWhatIsBeyondIt() throws Exception {
        start(agents.config(AgentFarm.limits(1, 4, 2)), BalancerEndToEndTest.seed000());
        agents.allComplete();
        String id = executed("balance");

        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("partially_completed"));
        assertThat(states(id)).containsExactly("completed", "completed", "skipped");
        assertThat(audit(id).get("execution").get("steps").get(2).get("error").asText())
                .contains("max_moves_per_hour = 2 reached (2 migrations started in the last hour)");
        assertThat(agents.orders()).hasSize(2);
        bridge.restart();
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        String next = executed("balance");
        await().atMost(WAIT).until(() -> audit(next).get("execution").get("state").asText().equals("failed"));
        assertThat(states(next)).containsOnly("skipped");
        assertThat(agents.orders()).as("the budget counts what was started before the restart").hasSize(2);
    }

    // ---- trigger_after -------------------------------------------------------------------------

    static String hotOrNot(double pm1) {
        return """
                {"hosts": [
                  {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": %s},
                  {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.05}],
                 "vms": [{"id": "v1", "host": "pm1", "vcpus": 2, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.5,
                          "workload": "cpu"}]}""".formatted(pm1);
    }

    static final Pattern EVALUATIONS = Pattern.compile(
            "placewise_balancer_evaluations_total\\{goal=\"(\\w+)\",outcome=\"(\\w+)\",?} ([0-9.E]+)");

    /** The periodic balancer's evaluations of {@code goal} that ended as {@code outcome}, from /metrics. */
    double evaluations(String goal, String outcome) throws Exception {
        Matcher m = EVALUATIONS.matcher(bridge.get("/metrics", null).text());
        while (m.find()) {
            if (m.group(1).equals(goal) && m.group(2).equals(outcome)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }

    /**
     * A hotspot seen in fewer than {@code trigger_after} = 3 evaluations in a row (a guest's boot spike)
     * moves nothing; one that holds for three does, once. The evaluations are counted in
     * {@code placewise_balancer_evaluations_total}, so the test follows them rather than a clock.
     */
    @Test
    void thePeriodicBalancerActsOnlyOnATriggerThatHeldForTriggerAfterEvaluations() throws Exception {
        BalancerConfig periodic = agents.config(ExecutionSettings.DEFAULT).withPeriodic(true, 2, true, 3);
        start(periodic, hotOrNot(0.95));

        await().atMost(WAIT).until(() -> evaluations("hotspot", "waiting") >= 1);
        bridge.admin("PUT", "/v1/cluster", hotOrNot(0.12));
        double quiet = evaluations("hotspot", "quiet");
        await().atMost(WAIT).until(() -> evaluations("hotspot", "quiet") > quiet);
        assertThat(agents.orders()).as("the spike is over before it held three times").isEmpty();
        assertThat(evaluations("hotspot", "acted")).isZero();
        double waitedBefore = evaluations("hotspot", "waiting");
        assertThat(waitedBefore).isLessThan(3);

        bridge.admin("PUT", "/v1/cluster", hotOrNot(0.95));
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        assertThat(evaluations("hotspot", "acted")).isEqualTo(1);
        assertThat(evaluations("hotspot", "waiting") - waitedBefore).as("two evaluations waited, the third acted")
                .isEqualTo(2);
        assertThat(agents.orders().get(0).vm()).isEqualTo("v1");
    }

    @Test
    void aOneOffAuditIsNotDelayedByTriggerAfter() throws Exception {
        start(agents.config(ExecutionSettings.DEFAULT).withPeriodic(false, 60, false, 3), hotOrNot(0.95));
        String id = executed("hotspot");
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        assertThat(states(id)).containsExactly("running");
    }
}
