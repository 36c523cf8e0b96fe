package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.execution.ExecutionSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5, seed 004 §3.3's balloon step end to end: a memory hotspot is answered by giving the
 * most swapping VM more memory on its own host ({@code POST /v1/domains/{domain}/memory} on its agent);
 * the host is judged again on its next sample, and only if it still swaps does a follow-up audit migrate.
 */
class BalloonExecutionTest extends AgentsAndBridge {

    /** m1 swaps 300 pages/s (over 150), mostly through s1; it has memory to spare. */
    static final String SWAPPING = """
            {"hosts": [
              {"name": "m1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.30, "mem_util": 0.60, "swap_writes_per_s": 300},
              {"name": "m2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.10, "mem_util": 0.20, "swap_writes_per_s": 0}],
             "vms": [
              {"id": "s1", "host": "m1", "vcpus": 2, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.20, "mem_util": 0.95,
               "swap_writes_per_s": 280, "workload": "memory"},
              {"id": "s2", "host": "m1", "vcpus": 1, "memory_mb": 1024, "disk_gb": 10, "cpu_util": 0.10, "swap_writes_per_s": 20,
               "workload": "cpu"}]}""";

    @BeforeEach
    void swapping() throws Exception {
        start(agents.config(ExecutionSettings.DEFAULT), SWAPPING);
    }

    JsonNode balloonStep(String auditId) throws Exception {
        String mid = audit(auditId).get("execution").get("steps").get(0).get("migration_id").asText();
        return bridge.get("/v1/migrations/" + mid, Bridge.READER).body();
    }

    /** Executes the hotspot audit: its plan is the balloon step for s1. */
    String balloonPlanned() throws Exception {
        JsonNode a = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": false}").body();
        assertThat(a.get("plan")).hasSize(1);
        JsonNode step = a.get("plan").get(0);
        assertThat(step.get("action").asText()).isEqualTo("grow_memory");
        assertThat(step.get("vm").asText()).isEqualTo("s1");
        assertThat(step.get("amount_mb").asLong()).isEqualTo(32);
        return a.get("id").asText();
    }

    long memoryOf(String vm) throws Exception {
        for (JsonNode v : bridge.get("/v1/cluster", Bridge.READER).body().get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.get("memory_mb").asLong();
            }
        }
        return -1;
    }

    void sample(double swapWrites) throws Exception {
        assertThat(bridge.send("POST", "/v1/hosts/m1/samples", Bridge.SERVICE,
                "{\"swap_writes_per_s\": " + swapWrites + "}").status()).isEqualTo(202);
    }

    @Test
    void theBalloonStepGrowsTheVmOnItsHostAndAHostThatStoppedSwappingIsLeftAlone() throws Exception {
        String id = balloonPlanned();

        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("completed"));
        assertThat(agents.balloons()).hasSize(1);
        AgentFarm.Order call = agents.balloons().get(0);
        assertThat(call.host()).isEqualTo("m1");
        assertThat(call.vm()).isEqualTo("s1");
        assertThat(call.body().get("target_mb").asLong()).isEqualTo(1024 + 32);
        assertThat(call.token()).isEqualTo("agent-secret");
        assertThat(memoryOf("s1")).isEqualTo(1056);
        assertThat(balloonStep(id).get("result").get("memory_mb").asLong()).isEqualTo(1056);

        sample(0);
        await().atMost(WAIT).until(() -> balloonStep(id).get("result").has("rejudged"));
        assertThat(balloonStep(id).get("result").get("rejudged").asText()).contains("m1 is no longer a hotspot");
        assertThat(balloonStep(id).get("result").has("follow_up_audit")).isFalse();
        assertThat(agents.orders()).as("no migration").isEmpty();
    }

    @Test
    void aHostStillSwappingAfterTheBalloonStepIsRelievedByAFollowUpMigration() throws Exception {
        String id = balloonPlanned();
        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("completed"));
        agents.allComplete();

        sample(400);

        await().atMost(WAIT).until(() -> balloonStep(id).get("result").has("follow_up_audit"));
        String followUp = balloonStep(id).get("result").get("follow_up_audit").asText();
        JsonNode f = audit(followUp);
        assertThat(f.get("follow_up_of").asText()).isEqualTo(id);
        assertThat(f.get("notes").get(0).asText()).contains("follow-up of audit " + id).contains("migrating instead");
        assertThat(f.get("plan")).isNotEmpty();
        assertThat(f.get("plan").get(0).get("action").asText()).as("no second balloon step for m1").isEqualTo("migrate");
        assertThat(f.get("plan").get(0).get("source").asText()).isEqualTo("m1");
        await().atMost(WAIT).until(() -> audit(followUp).get("execution").get("state").asText().equals("completed"));
        assertThat(agents.orders()).extracting(AgentFarm.Order::host).containsExactly("m1");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);
    }

    @Test
    void aBalloonStepTheAgentRefusesLeadsToAMigrationAtOnce() throws Exception {
        agents.wm.stubFor(post(urlEqualTo("/agents/m1/v1/domains/s1/memory")).atPriority(1).willReturn(aResponse()
                .withStatus(422).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Unprocessable Content\", \"status\": 422, "
                        + "\"detail\": \"target_mb 1056 is above the domain's maximum of 1024 MiB\"}")));
        agents.allComplete();
        String id = balloonPlanned();

        await().atMost(WAIT).until(() -> audit(id).get("execution").get("state").asText().equals("failed"));
        assertThat(audit(id).get("execution").get("steps").get(0).get("error").asText()).contains("above the domain's maximum");
        assertThat(memoryOf("s1")).isEqualTo(1024);
        await().atMost(WAIT).until(() -> balloonStep(id).get("result").has("follow_up_audit"));
        String followUp = balloonStep(id).get("result").get("follow_up_audit").asText();
        await().atMost(WAIT).until(() -> audit(followUp).get("execution").get("state").asText().equals("completed"));
        assertThat(agents.orders()).extracting(AgentFarm.Order::host).containsExactly("m1");
    }
}
