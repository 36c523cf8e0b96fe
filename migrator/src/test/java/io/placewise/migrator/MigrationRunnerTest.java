package io.placewise.migrator;

import static io.placewise.precopy.MigrationStrategy.AUTO;
import static io.placewise.precopy.MigrationStrategy.COMPRESSED;
import static io.placewise.precopy.MigrationStrategy.POSTCOPY;
import static io.placewise.precopy.MigrationStrategy.PRECOPY;
import static io.placewise.precopy.MigrationStrategy.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.precopy.MigrationStrategy;
import io.placewise.precopy.ThrottlePlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MigrationRunnerTest {
    static final MigratorConfig CONFIG = MigratorConfig.DEFAULT.withTimeouts(Duration.ofSeconds(10), 600);
    static final String DEST = "qemu+tcp://10.77.0.2/system";

    final FakeHypervisor hv = new FakeHypervisor();
    final RecordingRestoreLog log = new RecordingRestoreLog(hv.calls());

    MigrationResult run(MigrationStrategy strategy, boolean tolerates, MigratorConfig config) {
        return run(new MigrationOrder("m1", "vm1", DEST, strategy, null, null, tolerates), config, new MigrationControl());
    }

    MigrationResult run(MigrationOrder order, MigratorConfig config, MigrationControl control) {
        return new MigrationRunner(hv, log, config, new FakeClock()).run(order, control);
    }

    /** 1 GiB over 1 Gbit/s: barrier 750.6 Mbit/s, "near" 600.5. */
    @ParameterizedTest(name = "auto at {0} Mbit/s, tolerates slowing {1} -> {2}")
    @CsvSource({
            "10,   false, PRECOPY,    false",
            "300,  false, COMPRESSED, true",
            "900,  false, POSTCOPY,   false",
            "900,  true,  THROTTLED,  false",
    })
    void autoMeasuresAndFollowsTheAdvisor(double dirty, boolean tolerates, MigrationStrategy expected, boolean xbzrle) {
        hv.dirtying(dirty);
        MigrationResult result = run(AUTO, tolerates, CONFIG);

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.strategyUsed()).isEqualTo(expected);
        assertThat(result.reason()).startsWith("auto: " + expected.wireName() + " because dirty rate");
        assertThat(hv.calls().get(0)).isEqualTo("measureDirtyRate");
        assertThat(hv.host.params.xbzrle()).isEqualTo(xbzrle);
        assertThat(hv.host.params.postCopyAllowed()).isEqualTo(expected == POSTCOPY);
        assertThat(result.error()).isNull();
        assertThat(result.dataMib()).isGreaterThanOrEqualTo(1024);
    }

    @Test
    void autoFallsBackToCompressedWhenTheDirtyRateCannotBeMeasured() {
        hv.dirtying(100).failAt(FakeHypervisor.Step.MEASURE);
        MigrationResult result = run(AUTO, true, CONFIG);
        assertThat(result.strategyUsed()).isEqualTo(COMPRESSED);
        assertThat(result.reason()).contains("could not be measured");
        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
    }

    @Test
    void postcopySwitchesAfterTheFirstFullPass() {
        hv.dirtying(2000);
        MigrationResult result = run(POSTCOPY, false, CONFIG);

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.rounds()).extracting(RoundReport::iteration).containsExactly(2L); // the post-copy poll is no new pass
        assertThat(hv.calls()).containsSubsequence("startMigration xbzrle=false postcopy=true", "startPostCopy",
                "completed");
        assertThat(result.reason()).contains("first full pass done (iteration 2): switched to post-copy");
        assertThat(result.downtimeMs()).isEqualTo(5);
        assertThat(result.postCopyEscalated()).isFalse();
    }

    @Test
    void plainPrecopyOfAnIdleGuestIsOneRound() {
        MigrationResult result = run(PRECOPY, false, CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.rounds()).hasSize(1);
        assertThat(result.downtimeMs()).isZero();
        assertThat(result.dataMib()).isCloseTo(1024, within(1e-6));
        assertThat(result.totalMs()).isEqualTo(500); // one poll of virtual time
    }

    @Test
    void throttledAppliesEq9AfterEveryPass() {
        // A workload whose dirty rate (at 100 % CPU) changes between passes, including a burst that
        // Eq. 9 would throttle below the floor.
        double[] phases = {1200, 1500, 900, 6000, 1000, 800};
        hv.dirtyAtFullShare = i -> phases[Math.min(i - 1, phases.length - 1)];
        MigrationResult result = run(THROTTLED, true, CONFIG);

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        List<RoundReport> rounds = result.rounds();
        assertThat(rounds.size()).isGreaterThan(4);
        double previous = 100;
        for (RoundReport round : rounds) {
            double eq9 = 0.8 * round.transferRateMbps() * previous / round.dirtyRateMbps();
            double expected = Math.max(20, Math.min(previous, eq9)); // Eq. 9, but never back up during the migration
            assertThat(round.cpuSharePct()).as("round %d", round.iteration()).isCloseTo(expected, within(0.5));
            previous = round.cpuSharePct();
        }
        assertThat(rounds.get(0).cpuSharePct()).isCloseTo(100 * 0.8 * 1000 / 1200, within(0.01));
        assertThat(rounds).extracting(RoundReport::cpuSharePct).contains(20.0);
        assertThat(hv.calls()).filteredOn(c -> c.startsWith("setCpuShare ")).isNotEmpty();
        // restored: on the destination, since the VM now runs there
        assertThat(hv.host.destinationShare).isEqualTo(new CpuShare(100_000, -1));
        assertThat(log.pending()).isEmpty();
    }

    /** Lab: Eq. 9 raising the share after a quiet pass undid a converging migration. */
    @Test
    void duringAMigrationTheShareOnlyGoesDown() {
        hv.dirtyAtFullShare = i -> i == 1 ? 1600 : 100; // the second pass is quiet: Eq. 9 alone would say 100 %
        MigrationResult result = run(THROTTLED, true, CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.rounds()).hasSizeGreaterThan(1)
                .allSatisfy(r -> assertThat(r.cpuSharePct()).isCloseTo(50, within(0.01)));
    }

    @Test
    void throttlingNeverRaisesAVmAboveItsOriginalShare() {
        hv.host.share = new CpuShare(100_000, 50_000);
        hv.dirtyAtFullShare = i -> i == 1 ? 1600 : 200;
        MigrationResult result = run(THROTTLED, true, CONFIG);
        assertThat(result.rounds()).allSatisfy(r -> assertThat(r.cpuSharePct()).isLessThanOrEqualTo(50));
        assertThat(hv.host.destinationShare).isEqualTo(new CpuShare(100_000, 50_000));
    }

    @Test
    void noProgressAbortsAndTheVmStaysHere() {
        hv.dirtying(2000); // above B: every pass re-sends all memory
        MigrationResult result = run(PRECOPY, false, CONFIG);

        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(result.error()).startsWith("no progress for");
        assertThat(hv.host.here).isTrue();
        assertThat(hv.host.jobActive).isFalse();
        assertThat(hv.calls()).contains("abortJob", "cancelled");
        assertThat(result.rounds().size()).isBetween(20, 23); // 10 s of 0.5 s polls
    }

    @Test
    void noProgressEscalatesToPostCopyWhenAllowed() {
        hv.dirtying(2000);
        MigrationResult result = run(COMPRESSED, false, CONFIG.withEscalation(true));

        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
        assertThat(result.strategyUsed()).isEqualTo(COMPRESSED);
        assertThat(result.postCopyEscalated()).isTrue();
        assertThat(hv.host.params.postCopyAllowed()).isTrue();
        assertThat(result.reason()).contains("escalated to post-copy");
        assertThat(hv.calls()).doesNotContain("abortJob");
    }

    @Test
    void completionTimeoutAbortsASlowButProgressingMigration() {
        hv.dirtying(990); // remaining shrinks by 1 % per pass: progress, but far too slow
        MigrationResult result = run(PRECOPY, false, CONFIG.withTimeouts(Duration.ofSeconds(10), 10));

        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(result.error()).contains("longer than 10 s/GiB × 1.00 GiB");
        assertThat(result.totalMs()).isBetween(10_000L, 11_500L);
    }

    @Test
    void operatorAbortIsHonouredBeforePostCopy() {
        MigrationControl control = new MigrationControl();
        hv.dirtying(990).onPoll(3, control::requestAbort);
        MigrationResult result = run(new MigrationOrder("m1", "vm1", DEST, PRECOPY, null, null, false), CONFIG, control);

        assertThat(result.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(result.error()).isEqualTo("aborted by operator request");
        assertThat(control.state()).isEqualTo(MigrationState.ABORTED);
        assertThat(control.requestAbort()).isFalse();
    }

    @Test
    void operatorAbortIsRefusedInPostCopy() {
        MigrationControl control = new MigrationControl();
        hv.dirtying(2000).onPoll(2, () -> assertThat(control.requestAbort()).isFalse());
        MigrationResult result = run(new MigrationOrder("m1", "vm1", DEST, POSTCOPY, null, null, false), CONFIG, control);
        assertThat(result.state()).isEqualTo(MigrationState.COMPLETED);
    }

    @Test
    void maxDowntimeIsSetOnceTheJobExists() {
        hv.dirtying(500);
        run(new MigrationOrder("m1", "vm1", DEST, PRECOPY, 100L, 1000.0, false), CONFIG, new MigrationControl());
        assertThat(hv.calls()).containsOnlyOnce("setMaxDowntime 100");
        assertThat(hv.calls().indexOf("setMaxDowntime 100")).isGreaterThan(hv.calls().indexOf(
                "startMigration xbzrle=false postcopy=false"));
        assertThat(hv.host.params.bandwidthMbps()).isEqualTo(1000.0);
    }

    @Test
    void aDomainThatIsNotHereFailsWithoutStarting() {
        hv.host.here = false;
        MigrationResult result = run(PRECOPY, false, CONFIG);
        assertThat(result.state()).isEqualTo(MigrationState.FAILED);
        assertThat(result.error()).contains("not running on this host");
        assertThat(hv.calls()).isEmpty();
    }

    @Test
    void configRejectsNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CONFIG.withTimeouts(Duration.ofSeconds(1), 0))
                .hasMessageContaining("completion_timeout_s_per_gib");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new MigrationOrder("m", "vm1", DEST, PRECOPY, -5L, null, false))
                .hasMessageContaining("max_downtime_ms");
        assertThat(CONFIG.withThrottle(new ThrottlePlan(0.6, 30, 100)).throttle().floorPct()).isEqualTo(30);
    }
}
