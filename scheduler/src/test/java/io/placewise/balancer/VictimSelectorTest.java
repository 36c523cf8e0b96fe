package io.placewise.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VictimSelectorTest {
    private static final HotspotDetector.Judgement CPU_OVERLOAD_PM1 =
            new HotspotDetector.Judgement("PM1", true, false, false, List.of("cpu"));

    @Test
    void volumeRanksTheIsolatedVmFirstAndTheGroupLast() {
        List<VictimSelector.Candidate> ranked = new VolumeVictimSelector(1000).rank(BalancerFixtures.seed004Cpu(), CPU_OVERLOAD_PM1);
        assertThat(ranked).extracting(c -> c.vm().id()).containsExactly("VM4", "VM3", "VM1", "VM2");
        // VM1's 300 Mbit/s of IDC would cross the NIC after a move: its network benefit is negative.
        assertThat(ranked.get(2).score()).isLessThan(0);
        assertThat(ranked.get(3).score()).isLessThan(0);
    }

    @Test
    void vsrPrefersTheBusiestCommunicatingVm() {
        List<VictimSelector.Candidate> ranked = new VsrVictimSelector().rank(BalancerFixtures.seed004Cpu(), CPU_OVERLOAD_PM1);
        assertThat(ranked.get(0).vm().id()).isEqualTo("VM1");
    }

    @Test
    void equalVolumesGoToTheVmWithMoreTraffic() {
        Host pm1 = new Host("PM1", new Capacity(4, 4096, 80, 1000), 0.9, 0.5, 0, 0.3, true);
        Host pm2 = new Host("PM2", new Capacity(4, 4096, 80, 1000), 0.1, 0.5, 0, 0.3, true);
        ClusterSnapshot c = new ClusterSnapshot(List.of(pm1, pm2), List.of(
                new Vm("a", "PM1", 1, 256, 1, 0.3, 0.5, 0, 0, WorkloadClass.WEB, Set.of(), null),
                new Vm("b", "PM1", 1, 256, 1, 0.2, 0.5, 0, 0, WorkloadClass.WEB, Set.of(), null),
                new Vm("x", "PM2", 1, 256, 1, 0.05, 0.5, 0, 0, WorkloadClass.WEB, Set.of(), null),
                new Vm("y", "PM2", 1, 256, 1, 0.05, 0.5, 0, 0, WorkloadClass.WEB, Set.of(), null)),
                // a and b release the same NIC traffic relative to CPU: a 0.3 + 0.1 = b 0.2 + 0.2.
                List.of(new Traffic("a", "x", 100), new Traffic("b", "y", 200)), Map.of());
        List<VictimSelector.Candidate> ranked = new VolumeVictimSelector(1000).rank(c, CPU_OVERLOAD_PM1);
        assertThat(ranked.get(0).score()).isEqualTo(ranked.get(1).score(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(ranked.get(0).vm().id()).isEqualTo("b");
    }

    @Test
    void memoryFlagCountsMemoryOnlyWhenMemoryIsOverloaded() {
        Host pm1 = new Host("PM1", new Capacity(4, 4096, 80, 1000), 0.5, 0.9, 500, 0, true);
        ClusterSnapshot c = new ClusterSnapshot(List.of(pm1), List.of(
                new Vm("cpuHeavy", "PM1", 1, 256, 1, 0.4, 0.1, 0, 0, WorkloadClass.CPU, Set.of(), null),
                new Vm("memHeavy", "PM1", 1, 256, 1, 0.1, 0.9, 0, 0, WorkloadClass.MEMORY, Set.of(), null)),
                List.of(), Map.of());
        var memOnly = new HotspotDetector.Judgement("PM1", false, true, false, List.of("mem"));
        assertThat(new VolumeVictimSelector(1000).rank(c, memOnly).get(0).vm().id()).isEqualTo("memHeavy");
        assertThat(new VolumeVictimSelector(1000).rank(c, CPU_OVERLOAD_PM1).get(0).vm().id()).isEqualTo("cpuHeavy");
    }
}
