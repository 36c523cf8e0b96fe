package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.execution.ExecutionSettings;
import io.placewise.bridge.config.BalancerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 2, reconciliation instead of guessing, with the real bridge and WireMock agents: a poll
 * that fails is retried until {@code agent_unreachable_grace_s}; after it the step shows failed with its
 * outcome unknown and is still asked, so a late completion corrects it and writes the history record
 * then; a restarted bridge asks the agent what became of a running step; a migration past its timeout is
 * aborted on its agent.
 */
class ReconciliationTest extends AgentsAndBridge {
    String id;
    String vm1;
    String dest1;

    void start(BalancerConfig config) throws Exception {
        start(config, BalancerEndToEndTest.seed000());
    }

    void startWithGrace(Duration grace) throws Exception {
        start(agents.config(ExecutionSettings.DEFAULT.withGrace(grace)));
    }

    /** Plans seed 000's three moves off node1, executes them and waits for the first to run. */
    void executeAndWaitForTheFirstStep() throws Exception {
        JsonNode a = bridge.admin("POST", "/v1/audits", BALANCE).body();
        id = a.get("id").asText();
        vm1 = a.get("plan").get(0).get("vm").asText();
        dest1 = a.get("plan").get(0).get("destination").asText();
        assertThat(bridge.admin("POST", "/v1/audits/" + id + "/execute", null).status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("running") && agents.orders().size() == 1);
    }

    JsonNode execution() throws Exception {
        return execution(id);
    }

    JsonNode step(int i) throws Exception {
        return execution().get("steps").get(i);
    }

    List<String> states() throws Exception {
        return stepStates(id);
    }

    int pollsOf(String vm) {
        return agents.wm.findAll(getRequestedFor(urlEqualTo("/agents/node1/v1/migrations/mig-" + vm))).size();
    }

    @Test
    void pollsThatFailWithinTheGraceAreRetriedAndTheStepCompletes() throws Exception {
        startWithGrace(Duration.ofSeconds(60));
        executeAndWaitForTheFirstStep();
        agents.down("node1");
        int before = pollsOf(vm1);
        await().atMost(WAIT).until(() -> pollsOf(vm1) >= before + 3);
        assertThat(step(0).get("state").asText()).as("within the grace nothing is decided").isEqualTo("running");
        assertThat(step(0).get("reconciling").asBoolean()).isFalse();

        agents.up("node1");
        agents.allComplete();
        await().atMost(WAIT).until(() -> execution().get("state").asText().equals("completed"));
        for (JsonNode s : execution().get("steps")) {
            assertThat(s.get("error").isNull()).isTrue();
        }
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(3);
    }

    @Test
    void afterTheGraceTheStepShowsFailedAndALateCompletionCorrectsItAndWritesItsHistoryRecord() throws Exception {
        startWithGrace(Duration.ofSeconds(1));
        executeAndWaitForTheFirstStep();
        agents.down("node1");

        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("failed"));
        JsonNode failed = step(0);
        assertThat(failed.get("reconciling").asBoolean()).isTrue();
        assertThat(failed.get("error").asText()).contains("no answer from the migrator agent of node1")
                .contains("agent_unreachable_grace_s = 1").contains("outcome is unknown");
        await().atMost(WAIT).until(() -> execution().get("state").asText().equals("failed"));
        assertThat(states()).containsExactly("failed", "skipped", "skipped");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).isEmpty();
        assertThat(hostOf(vm1)).isEqualTo("node1");
        // Its hosts stay busy while the outcome is unknown: no new plan moves anything off node1.
        JsonNode meanwhile = bridge.admin("POST", "/v1/audits", BALANCE).body();
        for (JsonNode p : meanwhile.get("plan")) {
            assertThat(p.get("source").asText()).isNotEqualTo("node1");
            assertThat(p.get("destination").asText()).isNotIn("node1", dest1);
        }

        // The agent comes back: the migration had completed after all.
        agents.ends("node1", vm1, "completed");
        agents.up("node1");
        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("completed"));
        assertThat(step(0).get("reconciling").asBoolean()).isFalse();
        assertThat(step(0).get("error").isNull()).isTrue();
        JsonNode migration = bridge.get("/v1/migrations/" + step(0).get("migration_id").asText(), Bridge.READER).body();
        assertThat(migration.get("result").get("note").asText()).contains("corrected")
                .contains("after the step had been marked failed");
        JsonNode history = bridge.get("/v1/history", Bridge.READER).body();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("vm").asText()).isEqualTo(vm1);
        assertThat(history.get(0).get("destination").asText()).isEqualTo(dest1);
        assertThat(hostOf(vm1)).isEqualTo(dest1);
        assertThat(execution().get("state").asText()).isEqualTo("partially_completed");
    }

    @Test
    void aFailureTheAgentReportsLateIsKeptAsWhatHappened() throws Exception {
        startWithGrace(Duration.ofSeconds(1));
        executeAndWaitForTheFirstStep();
        agents.down("node1");
        await().atMost(WAIT).until(() -> step(0).get("reconciling").asBoolean());

        agents.ends("node1", vm1, "failed");
        agents.up("node1");
        await().atMost(WAIT).until(() -> !step(0).get("reconciling").asBoolean());
        assertThat(step(0).get("state").asText()).isEqualTo("failed");
        assertThat(step(0).get("error").asText()).contains("unable to connect to the destination");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).isEmpty();
        assertThat(hostOf(vm1)).isEqualTo("node1");
    }

    @Test
    void aRestartedBridgeAsksTheAgentAndTakesTheRealOutcome() throws Exception {
        startWithGrace(Duration.ofSeconds(60));
        executeAndWaitForTheFirstStep();

        bridge.restart();
        int polls = pollsOf(vm1);
        await().atMost(WAIT).until(() -> pollsOf(vm1) > polls);
        assertThat(step(0).get("state").asText()).as("still running on its agent").isEqualTo("running");
        assertThat(step(0).get("error").isNull()).isTrue();
        assertThat(states()).containsExactly("running", "queued", "queued");

        agents.allComplete();
        await().atMost(WAIT).until(() -> execution().get("state").asText().equals("completed"));
        assertThat(agents.orders()).extracting(AgentFarm.Order::vm).as("no order sent twice").doesNotHaveDuplicates().hasSize(3);
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(3);
        assertThat(hostOf(vm1)).isEqualTo(dest1);
    }

    @Test
    void aRestartWhileTheAgentIsSilentKeepsReconcilingAndTheCompletionIsRecordedThen() throws Exception {
        startWithGrace(Duration.ofSeconds(1));
        executeAndWaitForTheFirstStep();
        agents.down("node1");
        await().atMost(WAIT).until(() -> step(0).get("reconciling").asBoolean());

        bridge.restart();
        assertThat(step(0).get("state").asText()).isEqualTo("failed");
        assertThat(step(0).get("reconciling").asBoolean()).isTrue();
        agents.ends("node1", vm1, "completed");
        agents.up("node1");

        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("completed"));
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);
        assertThat(hostOf(vm1)).isEqualTo(dest1);
    }

    @Test
    void aMigrationPastItsTimeoutIsAbortedOnItsAgentAndTheVmStaysOnItsSource() throws Exception {
        BalancerConfig oneSecond = new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT, agents.urlTemplate(), "",
                "qemu+tcp://{host}/system", 1, 20, BalancerConfig.MIGRATOR, ExecutionSettings.DEFAULT, 1, 0);
        start(oneSecond);
        agents.wm.stubFor(delete(urlPathMatching("/agents/node1/v1/migrations/mig-.+")).willReturn(AgentFarm.json(
                "{\"state\": \"running\"}").withStatus(202)));
        executeAndWaitForTheFirstStep();

        await().atMost(WAIT).until(() -> agents.aborts() == 1);
        agents.ends("node1", vm1, "aborted");
        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("aborted"));
        assertThat(step(0).get("error").asText()).contains("migration_timeout_s = 1").contains("stays on node1");
        assertThat(states()).containsExactly("aborted", "skipped", "skipped");
        assertThat(hostOf(vm1)).isEqualTo("node1");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).isEmpty();
    }

    @Test
    void anAgentThatNoLongerKnowsTheMigrationFailsTheStepAtOnce() throws Exception {
        startWithGrace(Duration.ofSeconds(60));
        executeAndWaitForTheFirstStep();
        agents.wm.stubFor(get(urlEqualTo("/agents/node1/v1/migrations/mig-" + vm1)).atPriority(1).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"no migration 'mig-" + vm1 + "'\"}")));

        await().atMost(WAIT).until(() -> step(0).get("state").asText().equals("failed"));
        assertThat(step(0).get("reconciling").asBoolean()).isFalse();
        assertThat(step(0).get("error").asText()).contains("404").contains("no migration 'mig-" + vm1 + "'");
    }

    @Test
    void anOrderTheAgentRefusesFailsTheStepWithItsReason() throws Exception {
        startWithGrace(Duration.ofSeconds(60));
        agents.wm.stubFor(post(urlPathMatching("/agents/node1/v1/migrations")).atPriority(1).willReturn(aResponse()
                .withStatus(409).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"domain is already migrating\"}")));
        JsonNode a = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}").body();
        id = a.get("id").asText();

        await().atMost(WAIT).until(() -> execution().get("state").asText().equals("failed"));
        assertThat(step(0).get("error").asText()).contains("409").contains("domain is already migrating");
        assertThat(states()).containsExactly("failed", "skipped", "skipped");
    }
}
