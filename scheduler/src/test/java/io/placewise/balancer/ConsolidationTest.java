package io.placewise.balancer;

import static io.placewise.balancer.BalancerFixtures.NO_POLICIES;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The consolidate goal (seed 001 §IV): free hosts whose VMs all fit elsewhere, cheapest first, never making a hotspot. */
class ConsolidationTest {
    private final AuditPlanner planner = new AuditPlanner(BalancerSettings.DEFAULT, HotspotDetector.DEFAULT);

    private static Host host(String name, double cpu, boolean enabled) {
        return new Host(name, new Capacity(8, 16384, 500, 1000), cpu, 0.3, 0, 0.1, enabled);
    }

    private static Vm vm(String id, String host, double cpu, long memoryMb) {
        return new Vm(id, host, 1, memoryMb, 10, cpu, 0.5, 0, 0, WorkloadClass.CPU, Set.of(), null);
    }

    /**
     * a: 50 % (two VMs of 25 %), b: 40 % (two of 20 %), c: 10 % (one of 10 %, 512 MiB). Freeing c is cheapest
     * (one small VM); its VM goes to the fullest host that stays under 85 %: a (60 %). b's two VMs (20 % each) then
     * fit nowhere without passing 85 % on a (60 + 20 + 20 = 100 %), so b stays: one host freed, one move.
     */
    private static ClusterSnapshot threeHosts() {
        return new ClusterSnapshot(List.of(host("a", 0.5, true), host("b", 0.4, true), host("c", 0.1, true)),
                List.of(vm("a1", "a", 0.25, 2048), vm("a2", "a", 0.25, 2048), vm("b1", "b", 0.2, 2048),
                        vm("b2", "b", 0.2, 2048), vm("c1", "c", 0.1, 512)),
                List.of(), Map.of());
    }

    @Test
    void freesTheCheapestHostOntoTheFullestOneThatStaysCool() {
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, threeHosts(), NO_POLICIES, List.of(), Set.of());
        assertThat(out.triggered()).isTrue();
        assertThat(out.freedHosts()).containsExactly("c");
        assertThat(out.plan()).extracting(PlannedMove::vm, PlannedMove::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "a"));
        assertThat(out.projected()).doesNotContainKey("c").containsKeys("a", "b");
        assertThat(out.projected().get("a")).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.plan().get(0).reason()).contains("consolidate").contains("freeing c");
        assertThat(out.wokenHosts()).isEmpty();
    }

    @Test
    void aHostIsFreedWholeOrNotAtAll() {
        // b's VMs are 30 % each: the first would fit on a (50 + 30 = 80 %), the second nowhere; neither moves.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("a", 0.5, true), host("b", 0.6, true)),
                List.of(vm("a1", "a", 0.5, 2048), vm("b1", "b", 0.3, 2048), vm("b2", "b", 0.3, 2048)), List.of(), Map.of());
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).isEmpty();
        assertThat(out.freedHosts()).isEmpty();
    }

    @Test
    void everyEnabledFilterIsRespected() {
        // Without a, c's VM has only b left: b (40 % + 10 %) takes it.
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, threeHosts(), BalancerFixtures.rejecting("a"), List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::destination).containsOnly("b");
        assertThat(out.freedHosts()).containsExactly("c");
    }

    @Test
    void aDestinationWhoseForecastRisesPastTheThresholdIsNotUsed() {
        // a is at 60 % now but its window rises steeply (50 → 80 % and back to 60 %, then climbing): with the
        // 10 % VM its AR(1) forecast would pass 85 %; so c's VM goes to b although a is fuller.
        Map<String, List<LoadSample>> samples = new HashMap<>();
        List<LoadSample> rising = new ArrayList<>();
        double[] cpu = {0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.84, 0.84};
        for (int i = 0; i < cpu.length; i++) {
            rising.add(new LoadSample(Instant.ofEpochSecond(300L * i), cpu[i], 0.3, 0, 0.1));
        }
        samples.put("a", rising);
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("a", 0.6, true), host("b", 0.4, true), host("c", 0.1, true)),
                List.of(vm("a1", "a", 0.6, 2048), vm("b1", "b", 0.4, 2048), vm("c1", "c", 0.1, 512)), List.of(), samples);
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::vm, PlannedMove::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "b"));
    }

    @Test
    void aSwitchedOffHostIsWokenWhenAHotspotNeedsIt() {
        // a is overloaded (95 %), b is full (80 %), c was switched off by an earlier consolidation.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("a", 0.95, true), host("b", 0.8, true), host("c", 0.0, false)),
                List.of(vm("a1", "a", 0.5, 2048), vm("a2", "a", 0.45, 2048), vm("b1", "b", 0.8, 2048)), List.of(), Map.of());
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.wokenHosts()).containsExactly("c");
        assertThat(out.plan()).extracting(PlannedMove::destination).containsExactly("c");
        assertThat(out.projected().get("a")).isLessThanOrEqualTo(0.85);
        assertThat(out.freedHosts()).doesNotContain("c");
        assertThat(out.notes()).anySatisfy(n -> assertThat(n).contains("woke c"));
    }

    @Test
    void theHotspotGoalAloneNeverWakesAHost() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("a", 0.95, true), host("b", 0.8, true), host("c", 0.0, false)),
                List.of(vm("a1", "a", 0.5, 2048), vm("a2", "a", 0.45, 2048), vm("b1", "b", 0.8, 2048)), List.of(), Map.of());
        AuditOutcome out = planner.audit(Goal.HOTSPOT, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.wokenHosts()).isEmpty();
        assertThat(out.plan()).isEmpty();
    }

    @Test
    void movesStayWithinMaxMoves() {
        List<Host> hosts = new ArrayList<>();
        List<Vm> vms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            hosts.add(host("h" + i, 0.05, true));
            vms.add(vm("v" + i, "h" + i, 0.05, 512));
        }
        BalancerSettings three = new BalancerSettings(0.1, VictimPolicy.VOLUME, 0.05, 20, 32, 1000, 3, 8);
        AuditOutcome out = new AuditPlanner(three, HotspotDetector.DEFAULT)
                .audit(Goal.CONSOLIDATE, new ClusterSnapshot(hosts, vms, List.of(), Map.of()), NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).hasSize(3);
        assertThat(out.freedHosts()).hasSize(3);
        // A host that received a VM in this plan is not evacuated in the same plan.
        assertThat(out.freedHosts()).doesNotContainAnyElementsOf(out.plan().stream().map(PlannedMove::destination).toList());
    }

    @Test
    void aMoveThatWouldOverloadTheDestinationsNicIsNotMade() {
        // c's VM talks 300 Mbit/s with a VM on b: on a, that traffic would cross a's NIC (at 60 %) and pass 80 %.
        ClusterSnapshot c = new ClusterSnapshot(List.of(
                new Host("a", new Capacity(8, 16384, 500, 1000), 0.5, 0.3, 0, 0.6, true),
                new Host("b", new Capacity(8, 16384, 500, 1000), 0.3, 0.3, 0, 0.1, true),
                new Host("c", new Capacity(8, 16384, 500, 1000), 0.1, 0.3, 0, 0.3, true)),
                List.of(vm("a1", "a", 0.5, 2048), vm("b1", "b", 0.3, 2048), vm("c1", "c", 0.1, 512)),
                List.of(new Traffic("c1", "b1", 300)), Map.of());
        AuditOutcome out = planner.audit(Goal.CONSOLIDATE, c, NO_POLICIES, List.of(), Set.of());
        assertThat(out.plan()).extracting(PlannedMove::vm, PlannedMove::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "b"));
    }
}
