package io.placewise.migrator;

import static io.placewise.precopy.MigrationStrategy.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.migrator.FakeHypervisor.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 003 §4.1: the original CPU share is saved before the first change and restored at the end,
 * here on every outcome: success, each kind of failure, abort, and an agent crash followed by
 * start-up recovery.
 */
class RestoreOnEveryOutcomeTest {
    static final CpuShare ORIGINAL = new CpuShare(100_000, 80_000);
    static final MigratorConfig CONFIG = MigratorConfig.DEFAULT.withTimeouts(Duration.ofSeconds(5), 600);
    static final String DEST = "qemu+tcp://10.77.0.2/system";

    final FakeHypervisor hv = new FakeHypervisor();
    final RecordingRestoreLog log = new RecordingRestoreLog(hv.calls());

    RestoreOnEveryOutcomeTest() {
        hv.host.share = ORIGINAL;
    }

    MigrationResult run(MigratorConfig config) {
        return run(config, new MigrationControl());
    }

    MigrationResult run(MigratorConfig config, MigrationControl control) {
        MigrationOrder order = new MigrationOrder("m1", "vm1", DEST, THROTTLED, null, null, true);
        return new MigrationRunner(hv, log, config, new FakeClock()).run(order, control);
    }

    private void assertRecordedBeforeFirstChange() {
        List<String> calls = hv.calls();
        int recorded = calls.indexOf("restoreLog.record");
        assertThat(recorded).isNotNegative();
        calls.stream().filter(c -> c.startsWith("setCpuShare")).findFirst()
                .ifPresent(first -> assertThat(calls.indexOf(first)).isGreaterThan(recorded));
    }

    private void assertRestoredHere() {
        assertThat(hv.host.here).isTrue();
        assertThat(hv.host.share).isEqualTo(ORIGINAL);
        assertThat(log.pending()).isEmpty();
        assertRecordedBeforeFirstChange();
    }

    @Test
    void success() {
        hv.dirtying(1200);
        MigrationResult result = run(CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(hv.calls()).contains("setCpuShare 66.7");
        assertThat(hv.host.destinationShare).isEqualTo(ORIGINAL);
        assertThat(log.pending()).isEmpty();
        assertThat(result.reason()).contains("CPU share 80 % restored on " + DEST);
        assertRecordedBeforeFirstChange();
    }

    @Test
    void failureAtStart() {
        hv.dirtying(1200).failAt(Step.START);
        MigrationResult result = run(CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).isEqualTo("injected failure at START");
        assertThat(hv.calls()).doesNotContain("abortJob");
        assertRestoredHere();
    }

    @Test
    void failureMidPoll() {
        hv.dirtying(1200).failAt(Step.POLL, 4);
        MigrationResult result = run(CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).isEqualTo("injected failure at POLL");
        assertThat(hv.calls()).contains("setCpuShare 66.7", "abortJob", "cancelled");
        assertRestoredHere();
    }

    @Test
    void failureOfThePostCopySwitch() {
        // Even at the 20 % floor the guest dirties 1200 Mbit/s > B: no progress, escalate, switch fails.
        hv.dirtying(6000).failAt(Step.POSTCOPY);
        MigrationResult result = run(CONFIG.withEscalation(true));
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).startsWith("switch to post-copy failed (no progress");
        assertThat(hv.calls()).contains("setCpuShare 20.0", "abortJob");
        assertRestoredHere();
    }

    @Test
    void failureOfTheAbort() {
        hv.dirtying(6000).failAt(Step.ABORT);
        MigrationResult result = run(CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).startsWith("abort failed (no progress");
        // the job is still running here; the share is restored all the same
        assertThat(hv.host.jobActive).isTrue();
        assertRestoredHere();
    }

    @Test
    void abortOnNoProgress() {
        hv.dirtying(6000);
        MigrationResult result = run(CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertRestoredHere();
    }

    @Test
    void abortByOperator() {
        MigrationControl control = new MigrationControl();
        hv.dirtying(1200).onPoll(3, control::requestAbort);
        MigrationResult result = run(CONFIG, control);
        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertRestoredHere();
    }

    @Test
    void crashThenRecoveryAtAgentStart() {
        hv.dirtying(6000).crashAtPoll(4);
        MigrationResult result = run(CONFIG);

        // The dying agent could not restore: the VM is still throttled and the entry is kept.
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).contains("CPU share restore failed");
        assertThat(hv.host.share.pct()).isEqualTo(20.0);
        assertThat(hv.host.jobActive).isTrue();
        assertThat(log.pending()).extracting(RestoreEntry::migrationId).containsExactly("m1");

        // A new agent process on the same host, with the same durable log.
        FakeHypervisor restarted = new FakeHypervisor(hv.host).dirtying(6000); // the guest keeps writing
        List<CpuShareRestorer.Recovery> recovered = new CpuShareRestorer(restarted, log).recoverOnStartup();

        assertThat(recovered).singleElement().satisfies(r -> {
            assertThat(r.restored()).isTrue();
            assertThat(r.detail()).contains("aborted orphaned migration job", "restored on this host");
        });
        assertThat(hv.host.jobActive).isFalse();
        assertThat(hv.host.share).isEqualTo(ORIGINAL);
        assertThat(log.pending()).isEmpty();
    }

    @Test
    void recoveryAfterTheVmHadAlreadyMovedRestoresOnTheDestination() {
        log.record(new RestoreEntry("m9", "vm1", DEST, ORIGINAL, java.time.Instant.EPOCH));
        hv.host.here = false;
        List<CpuShareRestorer.Recovery> recovered = new CpuShareRestorer(hv, log).recoverOnStartup();
        assertThat(recovered).singleElement().satisfies(r -> assertThat(r.restored()).isTrue());
        assertThat(hv.host.destinationShare).isEqualTo(ORIGINAL);
        assertThat(log.pending()).isEmpty();
    }

    @Test
    void aFailedRecoveryKeepsTheEntryForNextTime() {
        log.record(new RestoreEntry("m9", "vm1", DEST, ORIGINAL, java.time.Instant.EPOCH));
        FakeHypervisor dead = new FakeHypervisor(hv.host).crashAtPoll(1);
        try {
            dead.jobStats("vm1"); // the crash flag trips on the first call
        } catch (HypervisorException expected) {
            // the agent is gone from here on
        }
        List<CpuShareRestorer.Recovery> recovered = new CpuShareRestorer(dead, log).recoverOnStartup();
        assertThat(recovered).singleElement().satisfies(r -> {
            assertThat(r.restored()).isFalse();
            assertThat(r.detail()).contains("simulated crash");
        });
        assertThat(log.pending()).hasSize(1);
    }

    @Test
    void cpuShareArithmetic() {
        assertThat(CpuShare.UNLIMITED.pct()).isEqualTo(100);
        assertThat(new CpuShare(100_000, 0).pct()).isEqualTo(100);
        assertThat(ORIGINAL.withPct(25)).isEqualTo(new CpuShare(100_000, 25_000));
        assertThat(new CpuShare(0, -1).withPct(50)).isEqualTo(new CpuShare(100_000, 50_000));
        assertThat(ORIGINAL.withPct(0.1).quotaUs()).isEqualTo(CpuShare.MIN_QUOTA_US);
    }
}
