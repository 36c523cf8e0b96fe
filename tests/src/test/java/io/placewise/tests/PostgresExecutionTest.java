package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plan execution on a real PostgreSQL server (issue 11's tables and queries): a plan executes, a step
 * whose agent went silent is still reconciled after a restart and corrected with its history record,
 * and the cooldown and hourly budget read what was stored. Runs in the {@code postgres} profile.
 */
@Tag("postgres")
class PostgresExecutionTest extends AgentsAndBridge {
    @BeforeEach
    void emptyDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresStorageTest.URL, PostgresStorageTest.USER,
                PostgresStorageTest.PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    @Test
    void executionReconciliationAndLimitsOnPostgres() throws Exception {
        bridge = new Bridge(PostgresStorageTest.URL, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD,
                agents.config(AgentFarm.limits(1, 4, 3).withGrace(Duration.ofSeconds(1))));
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        JsonNode a = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}").body();
        String id = a.get("id").asText();
        String vm1 = a.get("plan").get(0).get("vm").asText();
        await().atMost(WAIT).until(() -> agents.orders().size() == 1);
        agents.down("node1");
        await().atMost(WAIT).until(() -> execution(id).get("steps").get(0).get("reconciling").asBoolean());

        bridge.restart();
        assertThat(execution(id).get("steps").get(0).get("state").asText()).isEqualTo("failed");
        agents.ends("node1", vm1, "completed");
        agents.up("node1");
        await().atMost(WAIT).until(() -> execution(id).get("steps").get(0).get("state").asText().equals("completed"));
        assertThat(execution(id).get("state").asText()).isEqualTo("partially_completed");
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).hasSize(1);

        // Cooldown: vm1 is not planned again. Budget: 3 an hour, one used.
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        agents.allComplete();
        JsonNode next = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}").body();
        Set<String> vms = new HashSet<>();
        next.get("plan").forEach(p -> vms.add(p.get("vm").asText()));
        assertThat(vms).doesNotContain(vm1).hasSize(3);
        String nextId = next.get("id").asText();
        await().atMost(WAIT).until(() -> !execution(nextId).get("state").asText().equals("running"));
        assertThat(execution(nextId).get("state").asText()).isEqualTo("partially_completed");
        assertThat(execution(nextId).get("steps").get(2).get("error").asText()).contains("max_moves_per_hour = 3");
    }
}
