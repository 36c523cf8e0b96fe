package io.placewise.balancer;

import static io.placewise.balancer.BalancerFixtures.NO_POLICIES;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditPlannerTest {
    private final AuditPlanner planner = new AuditPlanner(BalancerSettings.DEFAULT, HotspotDetector.DEFAULT);

    @Test
    void seed000PlanBringsCmUnderThresholdInThreeMoves() {
        AuditOutcome out = planner.audit(Goal.BALANCE, BalancerFixtures.seed000(), NO_POLICIES, List.of(), Set.of());
        assertThat(out.triggered()).isTrue();
        assertThat(out.cM()).isGreaterThan(0.1);
        // Each VM carries 10 % of node1; spread ≤ 0.2 needs node1 ≤ ~0.5: three moves, one to each other node.
        assertThat(out.plan()).hasSize(3);
        assertThat(out.projectedCm()).isLessThanOrEqualTo(0.1);
        assertThat(out.plan()).allSatisfy(m -> assertThat(m.source()).isEqualTo("node1"));
        assertThat(out.plan()).extracting(PlannedMove::destination).containsExactlyInAnyOrder("node2", "node3", "node4");
        assertThat(out.projected().get("node1")).isLessThan(0.55);
        assertThat(out.historyRecordId()).isNull();
        assertThat(out.plan().get(0).strategy()).isNotNull();
    }

    @Test
    void sameSituationAgainReusesTheHistoryRecord() {
        ClusterSnapshot cluster = BalancerFixtures.seed000();
        AuditOutcome first = planner.audit(Goal.BALANCE, cluster, NO_POLICIES, List.of(), Set.of());
        List<HistoryRecord> newestFirst = new ArrayList<>();
        long id = 1;
        for (PlannedMove m : first.plan()) {
            newestFirst.add(0, new HistoryRecord(id++, Instant.now(), m.loadsBefore(), m.vm(), m.source(), m.destination()));
        }
        AuditOutcome again = planner.audit(Goal.BALANCE, cluster, NO_POLICIES, newestFirst, Set.of());
        assertThat(again.historyRecordId()).isNotNull();
        assertThat(again.plan()).hasSize(3);
        assertThat(again.projectedCm()).isLessThanOrEqualTo(0.1);
        assertThat(again.plan()).allSatisfy(m -> assertThat(m.historyRecordId()).isNotNull());
        assertThat(again.plan().get(0).reason()).contains("history record #");
    }

    @Test
    void historySizeZeroDecidesFromScratch() {
        ClusterSnapshot cluster = BalancerFixtures.seed000();
        HistoryRecord r = new HistoryRecord(7, Instant.now(), Map.of("node1", 0.8, "node2", 0.2667, "node3", 0.2667,
                "node4", 0.2667), "n1vm1", "node1", "node2");
        // With history kept, the record matches today's loads and decides the first move...
        AuditOutcome withHistory = planner.audit(Goal.BALANCE, cluster, NO_POLICIES, List.of(r), Set.of());
        assertThat(withHistory.historyRecordId()).isEqualTo(7L);
        assertThat(withHistory.plan().get(0).historyRecordId()).isEqualTo(7L);

        // ...with history_size = 0 the same record is ignored, and the imbalance is still planned away.
        AuditOutcome out = new AuditPlanner(BalancerSettings.DEFAULT.withHistorySize(0), HotspotDetector.DEFAULT)
                .audit(Goal.BALANCE, cluster, NO_POLICIES, List.of(r), Set.of());
        assertThat(out.triggered()).isTrue();
        assertThat(out.historyRecordId()).isNull();
        assertThat(out.plan()).isNotEmpty()
                .allSatisfy(m -> {
                    assertThat(m.historyRecordId()).isNull();
                    assertThat(m.reason()).doesNotContain("history record");
                });
        assertThat(out.projectedCm()).isLessThanOrEqualTo(0.1);
    }

    @Test
    void neverToARejectedHostAndNeverTheSameVmTwice() {
        AuditOutcome out = planner.audit(Goal.BALANCE, BalancerFixtures.seed000(), BalancerFixtures.rejecting("node2"),
                List.of(), Set.of());
        assertThat(out.plan()).isNotEmpty().noneSatisfy(m -> assertThat(m.destination()).isEqualTo("node2"));
        Set<String> vms = new HashSet<>();
        out.plan().forEach(m -> assertThat(vms.add(m.vm())).as("moved twice: " + m.vm()).isTrue());
    }

    @Test
    void balancedClusterPlansNothing() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(BalancerFixtures.host("a", 0.5), BalancerFixtures.host("b", 0.45)),
                List.of(), List.of(), Map.of());
        AuditOutcome out = planner.audit(Goal.BALANCE, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.triggered()).isFalse();
        assertThat(out.plan()).isEmpty();
    }

    @Test
    void seed004VolumeMovesTheIsolatedVmAndVsrSplitsTheGroup() {
        AuditOutcome volume = planner.audit(Goal.HOTSPOT, BalancerFixtures.seed004Cpu(), NO_POLICIES, List.of(), Set.of());
        assertThat(volume.triggered()).isTrue();
        assertThat(volume.hotspots()).extracting(HotspotDetector.Judgement::host).containsExactly("PM1");
        assertThat(volume.plan()).extracting(PlannedMove::vm).containsExactly("VM4");
        assertThat(volume.projected().get("PM1")).isLessThan(0.85);

        AuditOutcome vsr = new AuditPlanner(BalancerSettings.DEFAULT.withVictimPolicy(VictimPolicy.VSR), HotspotDetector.DEFAULT)
                .audit(Goal.HOTSPOT, BalancerFixtures.seed004Cpu(), NO_POLICIES, List.of(), Set.of());
        assertThat(vsr.plan()).extracting(PlannedMove::vm).containsExactly("VM1");
    }

    @Test
    void nextVictimWhenTheBestFitsNowhere() {
        // Every other host rejects... except that the filter cannot see the VM; use capacity instead:
        ClusterSnapshot c = BalancerFixtures.seed004Cpu();
        AuditOutcome out = planner.audit(Goal.HOTSPOT, c, BalancerFixtures.rejecting("PM2", "PM3", "PM4"), List.of(), Set.of());
        assertThat(out.plan()).isEmpty();
        assertThat(out.notes()).anySatisfy(n -> assertThat(n).contains("PM1").contains("no VM on it fits"));
    }

    @Test
    void hostsInARunningMigrationAreNotJudged() {
        AuditOutcome out = planner.audit(Goal.HOTSPOT, BalancerFixtures.seed004Cpu(), NO_POLICIES, List.of(), Set.of("PM1"));
        assertThat(out.triggered()).isFalse();
    }

    private static ClusterSnapshot swapping(double cpu, long hostMemoryMb) {
        Host pm1 = new Host("PM1", new Capacity(4, hostMemoryMb, 80, 1000), cpu, 0.9, 400, 0.1, true);
        Host pm2 = new Host("PM2", new Capacity(4, 4096, 80, 1000), 0.1, 0.2, 0, 0.1, true);
        return new ClusterSnapshot(List.of(pm1, pm2), List.of(
                new Vm("swapper", "PM1", 1, 192, 1, cpu / 2, 0.95, 380, 5, WorkloadClass.MEMORY, Set.of(), null),
                new Vm("other", "PM1", 1, 160, 1, cpu / 2, 0.5, 20, 5, WorkloadClass.CPU, Set.of(), null)),
                List.of(), Map.of());
    }

    @Test
    void memoryOverloadIsFirstAnsweredByABalloonStep() {
        AuditOutcome out = planner.audit(Goal.HOTSPOT, swapping(0.5, 1024), NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).hasSize(1);
        PlannedMove m = out.plan().get(0);
        assertThat(m.action()).isEqualTo(PlannedMove.Action.GROW_MEMORY);
        assertThat(m.vm()).isEqualTo("swapper");
        assertThat(m.amountMb()).isEqualTo(32);
        assertThat(m.destination()).isEqualTo("PM1");
    }

    @Test
    void cpuAndMemoryTogetherSolveMemoryFirst() {
        AuditOutcome out = planner.audit(Goal.HOTSPOT, swapping(0.95, 1024), NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::action).containsExactly(PlannedMove.Action.GROW_MEMORY);
        assertThat(out.notes()).anySatisfy(n -> assertThat(n).contains("memory overload is solved first"));
    }

    @Test
    void noFreeMemoryForABalloonMeansMigration() {
        // 352 MiB allocated on a 360 MiB host: less than one 32 MiB step left.
        AuditOutcome out = planner.audit(Goal.HOTSPOT, swapping(0.5, 360), NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::action).contains(PlannedMove.Action.MIGRATE);
        assertThat(out.plan().get(0).destination()).isEqualTo("PM2");
    }

    @Test
    void aHotspotIsNeverRelievedByOverloadingTheDestinationsNic() {
        // PM1 is at 90 % CPU; its only VM worth moving, v, talks 300 Mbit/s with w on PM3. PM2 comes first and has
        // CPU to spare, but its NIC is at 60 %: with v's traffic crossing it, 90 % > 80 %. PM3 holds w (IDC there).
        ClusterSnapshot c = new ClusterSnapshot(List.of(
                new Host("PM1", new Capacity(4, 4096, 80, 1000), 0.9, 0.3, 0, 0.35, true),
                new Host("PM2", new Capacity(4, 4096, 80, 1000), 0.1, 0.3, 0, 0.6, true),
                new Host("PM3", new Capacity(4, 4096, 80, 1000), 0.3, 0.3, 0, 0.1, true)),
                List.of(new Vm("v", "PM1", 1, 512, 1, 0.5, 0.5, 0, 5, WorkloadClass.CPU, Set.of(), null),
                        new Vm("u", "PM1", 1, 512, 1, 0.4, 0.5, 0, 5, WorkloadClass.CPU, Set.of(), null),
                        new Vm("w", "PM3", 1, 512, 1, 0.3, 0.5, 0, 5, WorkloadClass.CPU, Set.of(), null)),
                List.of(new io.placewise.model.Traffic("v", "w", 300)), Map.of());
        AuditOutcome out = planner.audit(Goal.HOTSPOT, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::vm, PlannedMove::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v", "PM3"));
        assertThat(out.plan().get(0).reason()).contains("every hotspot threshold");
    }
}
