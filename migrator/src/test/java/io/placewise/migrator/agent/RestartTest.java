package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.migrator.CpuShare;
import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.RoundReport;
import io.placewise.migrator.agent.store.JdbcRestoreLog;
import io.placewise.migrator.agent.store.MigrationRecord;
import io.placewise.migrator.agent.store.MigrationRepository;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's memory outlives its process: migrations stay readable after a restart, and what a
 * crashed agent left behind (a migration marked running, a lowered CPU share in the restore log, an
 * orphaned migration job) is cleaned up before the new process answers its first request.
 */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void finishedMigrationsAndTheirRoundsSurviveARestart() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        hv.add("vm1", 2000);
        try (Agent agent = new Agent(dir, hv)) {
            String id = agent.order("vm1", "throttled");
            JsonNode before = agent.awaitState(id, "completed");

            agent.restart();

            JsonNode after = agent.migration(id);
            assertThat(after).isEqualTo(before);
            assertThat(after.get("rounds").size()).isGreaterThan(3);
        }
    }

    @Test
    void aMigrationRunningWhenTheAgentDiedIsReportedFailedAndItsShareRestoredAtTheNextStart() throws Exception {
        // The host as the crash left it: vm1 throttled to 20 %, its migration job still going.
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = hv.add("vm1", 10_000);
        vm1.share = ScriptedHypervisor.ORIGINAL.withPct(20);
        vm1.jobActive = true;
        vm1.iteration = 3;
        vm1.remainingMib = 1024;
        vm1.handle = new CompletableFuture<>();
        // ... and the agent's database as the dead process left it.
        String url = "jdbc:h2:file:" + dir.resolve("agent").toAbsolutePath();
        try (Database db = Database.open(url, "", "", 2, null, "classpath:db/migration/migrator")) {
            Instant t = Instant.now();
            new MigrationRepository(db).insert(new MigrationRecord("m-crashed", "vm1", Agent.DEST,
                    MigrationStrategy.THROTTLED, 300L, null, false, MigrationState.RUNNING, MigrationStrategy.THROTTLED,
                    "requested throttled", List.of(), null, null, null, null, t, t));
            new MigrationRepository(db).addRound("m-crashed", new RoundReport(2, 1600, 1000, 1024, 40));
            new JdbcRestoreLog(db).record(new RestoreEntry("m-crashed", "vm1", Agent.DEST,
                    ScriptedHypervisor.ORIGINAL, t));
        }

        try (Agent agent = new Agent(dir, hv)) {
            JsonNode m = agent.migration("m-crashed");
            assertThat(m.get("state").asText()).isEqualTo("failed");
            assertThat(m.get("error").asText())
                    .startsWith("the agent stopped while this migration was running")
                    .contains("aborted orphaned migration job", "restored on this host",
                            "the domain is running on this host");
            assertThat(m.get("rounds")).hasSize(1);
            assertThat(hv.calls).contains("abortJob vm1");
            assertThat(hv.isRunningHere("vm1")).isTrue();
            assertThat(hv.cpuShare("vm1")).isEqualTo(ScriptedHypervisor.ORIGINAL);
            assertThat(new CpuShare(100_000, 80_000).pct()).isEqualTo(80.0);

            agent.restart();
            assertThat(hv.calls.stream().filter(c -> c.equals("abortJob vm1"))).as("recovered once").hasSize(1);
            assertThat(agent.migration("m-crashed").get("state").asText()).isEqualTo("failed");
        }
    }

    @Test
    void stoppingTheAgentAbortsWhatItRunsAndTheVmStaysWithItsShare() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        hv.add("vm1", 10_000);
        String id;
        Agent agent = new Agent(dir, hv);
        try {
            id = agent.order("vm1", "throttled");
            org.awaitility.Awaitility.await().until(() -> agent.migration(id).get("rounds").size() >= 2);
            agent.restart();
            JsonNode m = agent.migration(id);
            assertThat(m.get("state").asText()).isEqualTo("aborted");
            assertThat(hv.isRunningHere("vm1")).isTrue();
            assertThat(hv.cpuShare("vm1")).isEqualTo(ScriptedHypervisor.ORIGINAL);
        } finally {
            agent.close();
        }
    }
}
