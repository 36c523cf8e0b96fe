package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.RoundReport;
import io.placewise.migrator.agent.store.JdbcRestoreLog;
import io.placewise.migrator.agent.store.MigrationRecord;
import io.placewise.migrator.agent.store.MigrationRepository;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's memory outlives its process: migrations stay readable after a restart, and every
 * migration a killed agent did not see to its end is taken over before the new process answers
 * its first request: its job adopted (watched to its real end) or aborted (the VM stays with its
 * CPU share restored) per {@code [migrator] orphaned_jobs}, a job that ended meanwhile reported as
 * what happened, and {@code DELETE} and new orders work as for any running migration.
 */
class RestartTest {
    @TempDir
    Path dir;

    /**
     * The host and the database as a {@code kill -9} of the agent during a throttled migration of
     * {@code vm1} leaves them: the VM at a 20 % share, its libvirt job still going with nobody
     * watching it, the record {@code running} with one round, the original share in the restore log.
     */
    ScriptedHypervisor.Dom killedDuringThrottledMigration(ScriptedHypervisor hv, double dirtyMbps) {
        ScriptedHypervisor.Dom vm1 = hv.add("vm1", dirtyMbps);
        vm1.share = ScriptedHypervisor.ORIGINAL.withPct(20);
        vm1.jobActive = true;
        vm1.iteration = 3;
        vm1.remainingMib = 1024;
        vm1.params = new io.placewise.migrator.MigrationParams(Agent.DEST, false, false, null, 0);
        store("m-crashed", "vm1", MigrationState.RUNNING, MigrationStrategy.THROTTLED, true);
        return vm1;
    }

    void store(String id, String domain, MigrationState state, MigrationStrategy strategy, boolean throttled) {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("agent").toAbsolutePath(), "", "", 2, null,
                "classpath:db/migration/migrator")) {
            Instant t = Instant.now();
            MigrationRepository repo = new MigrationRepository(db);
            repo.insert(new MigrationRecord(id, domain, Agent.DEST, strategy, 300L, null, false, state,
                    state == MigrationState.QUEUED ? null : strategy,
                    state == MigrationState.QUEUED ? null : "requested " + strategy.wireName(), List.of(), null, null,
                    null, null, t, t));
            if (throttled) {
                repo.addRound(id, new RoundReport(2, 1600, 1000, 1024, 20));
                new JdbcRestoreLog(db).record(new RestoreEntry(id, domain, Agent.DEST, ScriptedHypervisor.ORIGINAL, t));
            }
        }
    }

    static Map<String, Map<String, String>> orphanedJobs(String policy) {
        return Map.of("migrator", Map.of("orphaned_jobs", policy));
    }

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
    void aJobWhoseAgentWasKilledIsAdoptedAndItsRecordEndsAsWhatReallyHappened() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        // 1000 Mbit/s at full share, 200 at the 20 % it was left at: the job converges.
        ScriptedHypervisor.Dom vm1 = killedDuringThrottledMigration(hv, 1000);

        try (Agent agent = new Agent(dir, hv)) {
            JsonNode m = agent.awaitState("m-crashed", "completed");
            assertThat(m.get("error").isNull()).as(m.toString()).isTrue();
            assertThat(m.get("strategy_used").asText()).isEqualTo("throttled");
            assertThat(m.get("reason").asText()).startsWith("requested throttled; adopted at agent start")
                    .contains("CPU share 80 % restored on " + Agent.DEST, "inactive definition was undefined");
            assertThat(m.get("rounds").size()).as("the dead agent's round, then the adopter's").isGreaterThan(1);
            assertThat(m.get("downtime_ms").asLong()).isLessThanOrEqualTo(300);
            assertThat(vm1.atDestination).isTrue();
            assertThat(vm1.destinationShare).isEqualTo(ScriptedHypervisor.ORIGINAL);
            assertThat(vm1.defined).as("source definition undefined").isFalse();
            assertThat(hv.calls).doesNotContain("abortJob vm1");

            agent.restart();
            assertThat(agent.migration("m-crashed").get("state").asText()).isEqualTo("completed");
        }
    }

    @Test
    void withOrphanedJobsAbortTheJobIsAbortedAndTheVmStaysWithItsShareRestored() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = killedDuringThrottledMigration(hv, 10_000);

        try (Agent agent = new Agent(dir, hv, orphanedJobs("abort"))) {
            JsonNode m = agent.awaitState("m-crashed", "aborted");
            assertThat(m.get("error").asText()).isEqualTo("the agent restarted and [migrator] orphaned_jobs = abort");
            assertThat(m.get("reason").asText()).contains("CPU share 80 % restored on this host");
            assertThat(hv.calls).containsOnlyOnce("abortJob vm1");
            assertThat(vm1.jobActive).isFalse();
            assertThat(hv.isRunningHere("vm1")).isTrue();
            assertThat(vm1.share).isEqualTo(ScriptedHypervisor.ORIGINAL);
            assertThat(vm1.defined).isTrue();

            agent.restart();
            assertThat(hv.calls).as("recovered once").containsOnlyOnce("abortJob vm1");
            assertThat(agent.migration("m-crashed").get("state").asText()).isEqualTo("aborted");
        }
    }

    @Test
    void anAdoptedJobCanBeDeletedAndDoesNotBlockNewOrdersForOtherDomains() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = killedDuringThrottledMigration(hv, 10_000); // 2000 Mbit/s at 20 %: never converges
        hv.add("vm2", 0);

        try (Agent agent = new Agent(dir, hv)) {
            assertThat(agent.migration("m-crashed").get("state").asText()).isEqualTo("running");
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.migration("m-crashed").get("rounds").size() > 1);

            Agent.Reply again = agent.send("POST", "/v1/migrations", Agent.SERVICE,
                    "{\"domain\":\"vm1\",\"destination_uri\":\"" + Agent.DEST + "\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.isProblem()).isTrue();
            assertThat(again.body().get("detail").asText()).contains("m-crashed");
            String other = agent.order("vm2", "precopy");

            Agent.Reply del = agent.send("DELETE", "/v1/migrations/m-crashed", Agent.SERVICE, null);
            assertThat(del.status()).as(del.text()).isEqualTo(202);
            JsonNode m = agent.awaitState("m-crashed", "aborted");
            assertThat(m.get("error").asText()).isEqualTo("aborted by operator request");
            assertThat(hv.isRunningHere("vm1")).isTrue();
            assertThat(vm1.share).isEqualTo(ScriptedHypervisor.ORIGINAL);

            assertThat(agent.awaitState(other, "completed").get("error").isNull()).isTrue();
        }
    }

    @Test
    void aJobThatCompletedWhileNoAgentRanIsReportedCompleted() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = hv.add("vm1", 0);
        vm1.here = false;
        vm1.atDestination = true;
        store("m-done", "vm1", MigrationState.RUNNING, MigrationStrategy.COMPRESSED, false);

        try (Agent agent = new Agent(dir, hv, orphanedJobs("abort"))) {
            JsonNode m = agent.awaitState("m-done", "completed");
            assertThat(m.get("reason").asText()).contains("at agent start the job had already ended");
            assertThat(vm1.defined).isFalse();
            assertThat(hv.calls).doesNotContain("abortJob vm1");
        }
    }

    @Test
    void aJobThatFailedWhileNoAgentRanIsReportedFailedWithTheShareRestored() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = killedDuringThrottledMigration(hv, 10_000);
        vm1.jobActive = false; // libvirt gave up while no agent ran; the VM stayed

        try (Agent agent = new Agent(dir, hv)) {
            JsonNode m = agent.awaitState("m-crashed", "failed");
            assertThat(m.get("error").asText())
                    .startsWith("the migration job ended without moving the domain: it runs on this host");
            assertThat(vm1.share).isEqualTo(ScriptedHypervisor.ORIGINAL);
        }
    }

    @Test
    void aMigrationStillQueuedWhenTheAgentDiedEndsAbortedAndNothingIsStarted() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        hv.add("vm1", 0);
        store("m-queued", "vm1", MigrationState.QUEUED, MigrationStrategy.PRECOPY, false);

        try (Agent agent = new Agent(dir, hv)) {
            JsonNode m = agent.migration("m-queued");
            assertThat(m.get("state").asText()).isEqualTo("aborted");
            assertThat(m.get("error").asText()).startsWith("the agent stopped before this migration started");
            assertThat(hv.started()).isFalse();
            assertThat(hv.isRunningHere("vm1")).isTrue();
        }
    }

    @Test
    void anOrderForADomainWithAHypervisorJobTheAgentDidNotStartIsA409() throws Exception {
        ScriptedHypervisor hv = new ScriptedHypervisor();
        ScriptedHypervisor.Dom vm1 = hv.add("vm1", 0);
        vm1.jobActive = true; // e.g. a migration someone started with virsh
        vm1.remainingMib = 512;
        try (Agent agent = new Agent(dir, hv)) {
            Agent.Reply r = agent.send("POST", "/v1/migrations", Agent.SERVICE,
                    "{\"domain\":\"vm1\",\"destination_uri\":\"" + Agent.DEST + "\"}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body().get("detail").asText()).contains("hypervisor job this agent did not start");
            assertThat(agent.get("/v1/migrations").body()).isEmpty();
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
            await().until(() -> agent.migration(id).get("rounds").size() >= 2);
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
