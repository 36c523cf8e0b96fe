package io.placewise.migrator;

import static io.placewise.precopy.MigrationStrategy.COMPRESSED;
import static io.placewise.precopy.MigrationStrategy.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A migration job whose agent died is taken over by the next agent process
 * ({@link MigrationRunner#adopt}): watched to its real end, or aborted with the VM left on its
 * source and its CPU share restored; never aborted in post-copy; and a job that ended while no
 * agent watched is reported from where the domain runs. The host (domain, libvirt job) outlives the
 * dead agent in {@link FakeHypervisor.HostState}.
 */
class AdoptionTest {
    static final CpuShare ORIGINAL = new CpuShare(100_000, 80_000);
    static final MigratorConfig CONFIG = MigratorConfig.DEFAULT.withTimeouts(Duration.ofSeconds(5), 600);
    static final String DEST = "qemu+tcp://10.77.0.2/system";
    static final MigrationOrder THROTTLED_ORDER = new MigrationOrder("m1", "vm1", DEST, THROTTLED, null, null, true);

    final FakeHypervisor dead = new FakeHypervisor();
    final RecordingRestoreLog log = new RecordingRestoreLog(dead.calls());

    AdoptionTest() {
        dead.host.share = ORIGINAL;
    }

    /** A throttled migration whose agent dies at its 4th poll: the job runs on, the VM at the 20 % floor. */
    void agentDiesMidMigration() {
        dead.dirtying(6000).crashAtPoll(4);
        MigrationResult lost = new MigrationRunner(dead, log, CONFIG, new FakeClock()).run(THROTTLED_ORDER);
        assertThat(lost.state()).isEqualTo(MigrationState.FAILED); // what the dying agent would have said
        assertThat(dead.host.jobActive).isTrue();
        assertThat(dead.host.share.pct()).isEqualTo(20.0);
        assertThat(log.pending()).extracting(RestoreEntry::migrationId).containsExactly("m1");
    }

    MigrationResult adopt(FakeHypervisor restarted, boolean abort) {
        Adoption adoption = new Adoption(THROTTLED, log.pending().isEmpty() ? null : log.pending().get(0), 20.0,
                "requested throttled", abort);
        return new MigrationRunner(restarted, log, CONFIG, new FakeClock()).adopt(THROTTLED_ORDER, adoption,
                new MigrationControl());
    }

    @Test
    void anAdoptedJobIsWatchedToItsEndAndReportedCompleted() {
        agentDiesMidMigration();
        // The guest now writes less: at the 20 % share the job converges.
        FakeHypervisor restarted = new FakeHypervisor(dead.host).dirtying(1000);

        MigrationResult result = adopt(restarted, false);

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.error()).isNull();
        assertThat(result.reason()).startsWith("requested throttled; adopted at agent start: the job was still running")
                .contains("CPU share 80 % restored on " + DEST, "the source's inactive definition was undefined");
        assertThat(result.rounds()).isNotEmpty().allSatisfy(r -> assertThat(r.cpuSharePct()).isLessThanOrEqualTo(20.0));
        assertThat(dead.host.atDestination).isTrue();
        assertThat(dead.host.destinationShare).isEqualTo(ORIGINAL);
        assertThat(dead.host.defined).isFalse();
        assertThat(log.pending()).isEmpty();
        assertThat(restarted.calls()).doesNotContain("abortJob");
    }

    @Test
    void withOrphanedJobsAbortTheJobIsAbortedAndTheVmStaysWithItsShare() {
        agentDiesMidMigration();
        FakeHypervisor restarted = new FakeHypervisor(dead.host).dirtying(6000);

        MigrationResult result = adopt(restarted, true);

        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(result.error()).isEqualTo("the agent restarted and [migrator] orphaned_jobs = abort");
        assertThat(result.reason()).contains("CPU share 80 % restored on this host");
        assertThat(dead.host.here).isTrue();
        assertThat(dead.host.jobActive).isFalse();
        assertThat(dead.host.share).isEqualTo(ORIGINAL);
        assertThat(dead.host.defined).isTrue();
        assertThat(log.pending()).isEmpty();
    }

    @Test
    void anAdoptedJobStillFollowsTheTimeoutsAndIsAbortedWhenItMakesNoProgress() {
        agentDiesMidMigration();
        FakeHypervisor restarted = new FakeHypervisor(dead.host).dirtying(6000); // never converges at 20 %

        MigrationResult result = adopt(restarted, false);

        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(result.error()).startsWith("no progress for");
        assertThat(dead.host.here).isTrue();
        assertThat(dead.host.share).isEqualTo(ORIGINAL);
    }

    @Test
    void aJobInPostCopyIsNeverAbortedEvenWithOrphanedJobsAbort() {
        FakeHypervisor.HostState host = dead.host;
        host.jobActive = true;
        host.postCopy = true;
        host.iteration = 3;
        host.remainingMib = 300;
        FakeHypervisor restarted = new FakeHypervisor(host);

        MigrationResult result = new MigrationRunner(restarted, log, CONFIG, new FakeClock()).adopt(
                new MigrationOrder("m2", "vm1", DEST, io.placewise.precopy.MigrationStrategy.POSTCOPY, null, null, false),
                new Adoption(io.placewise.precopy.MigrationStrategy.POSTCOPY, null, null, null, true),
                new MigrationControl());

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.reason()).contains("in post-copy", "not aborted: in post-copy");
        assertThat(restarted.calls()).doesNotContain("abortJob");
        assertThat(host.atDestination).isTrue();
    }

    @Test
    void aJobThatCompletedWhileNoAgentWatchedIsReportedCompleted() {
        dead.host.here = false;
        dead.host.atDestination = true;
        log.record(new RestoreEntry("m1", "vm1", DEST, ORIGINAL, Instant.EPOCH));

        MigrationResult result = adopt(new FakeHypervisor(dead.host), true);

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.reason()).contains("at agent start the job had already ended",
                "CPU share 80 % restored on " + DEST);
        assertThat(dead.host.destinationShare).isEqualTo(ORIGINAL);
        assertThat(dead.host.defined).isFalse();
    }

    /**
     * Lab (LabClosedLoopTest): the restarted agent could not resolve the destination's name, so asking
     * it failed ten times and a completed migration was reported failed. The source's definition, shut
     * off by the completed migration, says where the VM went without asking.
     */
    @Test
    void aCompletedJobIsReportedCompletedFromTheSourcesOwnStateWhenTheDestinationCannotBeAsked() {
        dead.host.here = false;
        dead.host.atDestination = true; // the source keeps its definition, shut off (reason migrated)
        FakeHypervisor restarted = new FakeHypervisor(dead.host);
        restarted.destinationUnreachable = true;

        MigrationResult result = new MigrationRunner(restarted, log, CONFIG, new FakeClock()).adopt(
                new MigrationOrder("m5", "vm1", DEST, COMPRESSED, null, null, false),
                new Adoption(COMPRESSED, null, null, null, false), new MigrationControl());

        assertThat(result.state()).as(result.toString()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.error()).isNull();
        assertThat(result.reason()).contains("at agent start the job had already ended");
        assertThat(dead.host.defined).as("the source's inactive definition undefined").isFalse();
    }

    @Test
    void aJobThatEndedWithTheVmStillHereIsReportedFailedAndTheShareRestored() {
        dead.host.share = ORIGINAL.withPct(20);
        log.record(new RestoreEntry("m1", "vm1", DEST, ORIGINAL, Instant.EPOCH));

        MigrationResult result = adopt(new FakeHypervisor(dead.host), false);

        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).isEqualTo("the migration job ended without moving the domain: it runs on this host");
        assertThat(dead.host.share).isEqualTo(ORIGINAL);
        assertThat(dead.host.defined).isTrue();
    }

    @Test
    void aDomainFoundNeitherHereNorOnTheDestinationIsReportedFailedNotCompleted() {
        dead.host.here = false;

        MigrationResult result = new MigrationRunner(new FakeHypervisor(dead.host), log, CONFIG, new FakeClock()).adopt(
                new MigrationOrder("m3", "vm1", DEST, COMPRESSED, null, null, false),
                new Adoption(COMPRESSED, null, null, null, false), new MigrationControl());

        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).contains("runs neither on this host nor on " + DEST);
    }

    @Test
    void undefineSourceCanBeTurnedOff() {
        dead.dirtying(100);
        MigrationResult kept = new MigrationRunner(dead, log, CONFIG.withUndefineSource(false), new FakeClock())
                .run(new MigrationOrder("m4", "vm1", DEST, COMPRESSED, null, null, false));
        assertThat(kept.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(dead.host.defined).isTrue();
        assertThat(dead.calls()).doesNotContain("undefine");
    }
}
