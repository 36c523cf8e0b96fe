package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.execution.ExecutionSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 1: an executed plan is a tracked object. {@code GET /v1/audits/{id}} carries
 * {@code execution} (state and steps), {@code POST /v1/audits/{id}/cancel} stops the steps not yet
 * started, {@code dry_run} defaults to true and {@code dry_run: false} executes at once. The real bridge,
 * WireMock playing the migrator agents.
 */
class ExecutionTrackingTest extends AgentsAndBridge {
    void start(ExecutionSettings execution) throws Exception {
        start(agents.config(execution), BalancerEndToEndTest.seed000());
    }

    String state(String id) throws Exception {
        return executionState(id);
    }

    String plan() throws Exception {
        Bridge.Reply r = bridge.admin("POST", "/v1/audits", BALANCE);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("plan")).hasSize(3);
        return r.body().get("id").asText();
    }

    @Test
    void aPlanIsNotStartedUntilExecutedThenEveryStepIsTrackedToCompletion() throws Exception {
        start(ExecutionSettings.DEFAULT);
        String id = plan();
        JsonNode before = audit(id);
        assertThat(before.get("dry_run").asBoolean()).isTrue();
        assertThat(before.get("execution").get("state").asText()).isEqualTo("not_started");
        assertThat(before.get("execution").get("steps")).isEmpty();

        Bridge.Reply exec = bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        assertThat(exec.status()).isEqualTo(202);
        assertThat(exec.body().get("state").asText()).isEqualTo("running");
        assertThat(exec.body().get("steps")).hasSize(3);

        // All three move a VM off node1: with max_parallel_per_host = 1 they run one after another.
        await().atMost(WAIT).until(() -> stepStates(id).equals(List.of("running", "queued", "queued")));
        JsonNode running = audit(id).get("execution").get("steps").get(0);
        assertThat(running.get("order").asInt()).isEqualTo(1);
        assertThat(running.get("started_at").isNull()).isFalse();
        assertThat(running.get("ended_at").isNull()).isTrue();
        assertThat(state(id)).isEqualTo("running");

        agents.allComplete();
        await().atMost(WAIT).until(() -> state(id).equals("completed"));
        JsonNode plan = audit(id).get("plan");
        for (JsonNode s : audit(id).get("execution").get("steps")) {
            assertThat(s.get("state").asText()).isEqualTo("completed");
            assertThat(s.get("error").isNull()).isTrue();
            Instant started = Instant.parse(s.get("started_at").asText());
            assertThat(Instant.parse(s.get("ended_at").asText())).isAfterOrEqualTo(started);
            JsonNode migration = bridge.get("/v1/migrations/" + s.get("migration_id").asText(), Bridge.READER).body();
            assertThat(migration.get("state").asText()).isEqualTo("completed");
            // The bridge orders auto: the agent chooses at the point of migration; the plan's proposal is kept.
            assertThat(migration.get("strategy").asText()).isEqualTo("auto");
            assertThat(migration.get("planned_strategy").asText())
                    .isEqualTo(plan.get(s.get("order").asInt() - 1).get("strategy").asText());
            assertThat(migration.get("result").get("strategy_used").asText()).isEqualTo("precopy");
        }
        List<AgentFarm.Order> orders = agents.orders();
        assertThat(orders).extracting(AgentFarm.Order::host).containsOnly("node1");
        for (AgentFarm.Order o : orders) {
            assertThat(o.body().get("strategy").asText()).isEqualTo("auto");
            // seed 000's VMs are CPU-bound: a batch class, so the agent may throttle them.
            assertThat(o.body().get("guest_tolerates_slowing").asBoolean()).isTrue();
            assertThat(o.body().get("destination_uri").asText()).startsWith("qemu+tcp://node");
            assertThat(o.token()).isEqualTo("agent-secret");
        }
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(3);

        // A plan that is over has nothing to cancel: the answer says it completed, and it stays so.
        Bridge.Reply cancel = bridge.admin("POST", "/v1/audits/" + id + "/cancel", null);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.body().get("state").asText()).isEqualTo("completed");
        assertThat(state(id)).isEqualTo("completed");
    }

    @Test
    void dryRunDefaultsToTrueAndDryRunFalseExecutesAtOnce() throws Exception {
        start(ExecutionSettings.DEFAULT);
        Bridge.Reply implicit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\"}");
        assertThat(implicit.body().get("dry_run").asBoolean()).isTrue();
        assertThat(implicit.body().get("execution").get("state").asText()).isEqualTo("not_started");

        Bridge.Reply now = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}");
        assertThat(now.status()).isEqualTo(201);
        assertThat(now.body().get("dry_run").asBoolean()).isFalse();
        assertThat(now.body().get("execution").get("state").asText()).isEqualTo("running");
        assertThat(now.body().get("execution").get("steps")).hasSize(3);
        String id = now.body().get("id").asText();
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);

        Bridge.Reply again = bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.isProblem()).isTrue();
        assertThat(again.body().get("detail").asText()).contains("already executed");
        // The dry-run audit never reached an agent.
        assertThat(agents.orders()).extracting(AgentFarm.Order::vm)
                .containsExactly(now.body().get("plan").get(0).get("vm").asText());
    }

    @Test
    void cancelStopsTheStepsNotYetStartedAndLetsTheRunningOneFinish() throws Exception {
        start(ExecutionSettings.DEFAULT);
        String id = plan();
        bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        await().atMost(WAIT).until(() -> stepStates(id).equals(List.of("running", "queued", "queued")));

        Bridge.Reply cancel = bridge.admin("POST", "/v1/audits/" + id + "/cancel", null);

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.body().get("state").asText()).isEqualTo("running");
        assertThat(stepStates(id)).containsExactly("running", "cancelled", "cancelled");
        assertThat(audit(id).get("execution").get("steps").get(1).get("error").asText()).contains("cancelled by the operator");
        agents.allComplete();
        await().atMost(WAIT).until(() -> state(id).equals("cancelled"));
        assertThat(stepStates(id)).containsExactly("completed", "cancelled", "cancelled");
        assertThat(agents.orders()).hasSize(1);
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);

        // Again: nothing changes, the answer says what is.
        Bridge.Reply twice = bridge.admin("POST", "/v1/audits/" + id + "/cancel", null);
        assertThat(twice.status()).isEqualTo(202);
        assertThat(twice.body().get("state").asText()).isEqualTo("cancelled");
        assertThat(stepStates(id)).containsExactly("completed", "cancelled", "cancelled");
        assertThat(bridge.admin("POST", "/v1/audits/" + id + "/execute", null).status()).isEqualTo(409);
    }

    @Test
    void anAuditCancelledBeforeItIsExecutedIsNeverExecuted() throws Exception {
        start(ExecutionSettings.DEFAULT);
        String id = plan();

        Bridge.Reply cancel = bridge.admin("POST", "/v1/audits/" + id + "/cancel", null);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(state(id)).isEqualTo("cancelled");

        Bridge.Reply exec = bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        assertThat(exec.status()).isEqualTo(409);
        assertThat(exec.body().get("detail").asText()).contains("cancelled");
        assertThat(bridge.admin("POST", "/v1/audits/" + id + "/cancel", null).body().get("state").asText()).isEqualTo("cancelled");
        assertThat(agents.orders()).isEmpty();
        bridge.restart();
        assertThat(state(id)).isEqualTo("cancelled");
    }

    @Test
    void aFailureStopsThePlanAndTheExecutionSaysWhatWasAchieved() throws Exception {
        start(ExecutionSettings.DEFAULT);
        String id = plan();
        JsonNode plan = audit(id).get("plan");
        agents.ends("node1", plan.get(0).get("vm").asText(), "completed");
        agents.ends("node1", plan.get(1).get("vm").asText(), "failed");
        bridge.admin("POST", "/v1/audits/" + id + "/execute", null);

        await().atMost(WAIT).until(() -> state(id).equals("partially_completed"));
        assertThat(stepStates(id)).containsExactly("completed", "failed", "skipped");
        JsonNode steps = audit(id).get("execution").get("steps");
        assertThat(steps.get(1).get("error").asText()).contains("unable to connect");
        assertThat(steps.get(2).get("error").asText()).startsWith("not started: step 2").contains("failed");
        assertThat(steps.get(2).get("started_at").isNull()).isTrue();

        // The same cluster again (the first VM is back where it was): its first step fails, nothing is achieved.
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        agents.reset();
        String second = plan();
        agents.ends("node1", audit(second).get("plan").get(0).get("vm").asText(), "failed");
        bridge.admin("POST", "/v1/audits/" + second + "/execute", null);
        await().atMost(WAIT).until(() -> state(second).equals("failed"));
        assertThat(stepStates(second)).containsExactly("failed", "skipped", "skipped");
    }

    @Test
    void plannedStrategyOrdersTheAuditsProposal() throws Exception {
        start(ExecutionSettings.DEFAULT.withStrategy(ExecutionSettings.StrategyChoice.PLANNED));
        String id = plan();
        String proposed = audit(id).get("plan").get(0).get("strategy").asText();
        bridge.admin("POST", "/v1/audits/" + id + "/execute", null);
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        assertThat(agents.orders().get(0).body().get("strategy").asText()).isEqualTo(proposed).isNotEqualTo("auto");
    }

    /** One overloaded host and its only VM: the hotspot audit must move it. */
    static String oneVictim(String workload, Boolean toleratesSlowing) {
        String flag = toleratesSlowing == null ? "" : ", \"tolerates_slowing\": " + toleratesSlowing;
        return """
                {"hosts": [
                  {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.95},
                  {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.05}],
                 "vms": [{"id": "v1", "host": "pm1", "vcpus": 2, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.5,
                          "dirty_rate_mbps": 40, "workload": "%s"%s}]}""".formatted(workload, flag);
    }

    boolean toleratesSlowingOrdered(String workload, Boolean flag) throws Exception {
        agents.reset();
        assertThat(bridge.admin("PUT", "/v1/cluster", oneVictim(workload, flag)).status()).isEqualTo(200);
        JsonNode a = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": false}").body();
        assertThat(a.get("plan")).hasSize(1);
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        agents.allComplete();
        await().atMost(WAIT).until(() -> state(a.get("id").asText()).equals("completed"));
        return agents.orders().get(0).body().get("guest_tolerates_slowing").asBoolean();
    }

    /** Issue 11 item 6: not a blanket rule, the workload class or the flavor's placewise:tolerates_slowing. */
    @Test
    void whetherTheGuestMayBeSlowedComesFromItsClassOrItsFlavor() throws Exception {
        start(ExecutionSettings.DEFAULT.withCooldown(Duration.ZERO));
        assertThat(toleratesSlowingOrdered("web", null)).as("web: interactive").isFalse();
        assertThat(toleratesSlowingOrdered("mixed", null)).as("unclassified: not assumed").isFalse();
        assertThat(toleratesSlowingOrdered("memory", null)).as("memory: batch").isTrue();
        assertThat(toleratesSlowingOrdered("web", true)).as("the flavor says so").isTrue();
        assertThat(toleratesSlowingOrdered("cpu", false)).as("the flavor says no").isFalse();
        JsonNode vm = bridge.get("/v1/cluster", Bridge.READER).body().get("vms").get(0);
        assertThat(vm.get("tolerates_slowing").asBoolean()).isFalse();
        bridge.restart();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("vms").get(0).get("tolerates_slowing").asBoolean())
                .as("kept across a restart").isFalse();
    }

    @Test
    void cancelNeedsAnAdminAndNamesWhatCannotBeCancelled() throws Exception {
        start(ExecutionSettings.DEFAULT);
        String id = plan();
        assertThat(bridge.send("POST", "/v1/audits/" + id + "/cancel", null, null).status()).isEqualTo(401);
        assertThat(bridge.send("POST", "/v1/audits/" + id + "/cancel", Bridge.SERVICE, null).status()).isEqualTo(403);
        assertThat(bridge.send("POST", "/v1/audits/" + id + "/cancel", Bridge.READER, null).status()).isEqualTo(403);
        assertThat(state(id)).isEqualTo("not_started");
        Bridge.Reply unknown = bridge.admin("POST", "/v1/audits/nope/cancel", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
        String whatIf = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"cluster\": "
                + BalancerEndToEndTest.seed000() + "}").body().get("id").asText();
        assertThat(bridge.admin("POST", "/v1/audits/" + whatIf + "/cancel", null).status()).isEqualTo(409);
    }
}
