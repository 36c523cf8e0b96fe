package io.placewise.filters;

import static io.placewise.filters.Fixtures.SMALL;
import static io.placewise.filters.Fixtures.cluster;
import static io.placewise.filters.Fixtures.host;
import static io.placewise.filters.Fixtures.move;
import static io.placewise.filters.Fixtures.policies;
import static io.placewise.filters.Fixtures.rejection;
import static io.placewise.filters.Fixtures.select;
import static io.placewise.filters.Fixtures.spec;
import static io.placewise.filters.Fixtures.vm;
import static io.placewise.model.WorkloadClass.CPU;
import static io.placewise.model.WorkloadClass.DISK_IO;
import static io.placewise.model.WorkloadClass.MIXED;
import static io.placewise.model.WorkloadClass.NET_RX;
import static io.placewise.model.WorkloadClass.WEB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
import io.placewise.model.ServerGroup;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyConfigException;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Workload affinity (seed 002 §3.2, Table 2) and server groups through the real pipeline. Without
 * weighers every survivor scores 0 and the first candidate wins, so a host listed first is chosen
 * unless the filter turns it away.
 */
class AffinityFilterTest {
    private static PolicySet affinity(Map<String, String> params) {
        return policies(List.of(new ComputeFilter(), new AffinityFilter()), List.of(),
                params.isEmpty() ? Map.of() : Map.of("AffinityFilter", params));
    }

    private static final ClusterSnapshot MIXED_CLUSTER = cluster(
            List.of(host("pm1", 0.1), host("pm2", 0.2), host("pm3", 0.3)),
            List.of(vm("d1", "pm1", DISK_IO), vm("c1", "pm2", CPU), vm("n1", "pm3", NET_RX)));

    @Test
    void diskIoVmAvoidsAHostWithADiskIoNeighbourByDefault() {
        PlacementResult r = select(MIXED_CLUSTER, spec(DISK_IO), affinity(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        Rejection pm1 = rejection(r, "pm1").orElseThrow();
        assertThat(pm1.filter()).isEqualTo("AffinityFilter");
        assertThat(pm1.reason()).contains("disk_io VM would share the host with 1 disk_io VM(s)")
                .contains("-1.0").contains("floor -0.8");
        assertThat(r.rejected()).hasSize(1);
    }

    @Test
    void cpuPairsPassTheDefaultFloorButNotARaisedOne() {
        assertThat(select(MIXED_CLUSTER, spec(CPU), affinity(Map.of())).selected()).containsExactly("pm1");

        // cpu:disk_io = +0.5 passes any floor up to 0.5; cpu:cpu = -0.6 falls below -0.5. pm2 (a cpu
        // neighbour) is listed first, so it wins unless rejected.
        PlacementResult r = select(cluster(List.of(host("pm2", 0.2), host("pm1", 0.1)), MIXED_CLUSTER.vms().subList(0, 2)),
                spec(CPU), affinity(Map.of("floor", "-0.5")));
        assertThat(r.selected()).containsExactly("pm1");
        assertThat(rejection(r, "pm2").orElseThrow().reason()).contains("cpu VM would share the host with 1 cpu VM(s)")
                .contains("-0.6").contains("floor -0.5");
    }

    @Test
    void aConfiguredMatrixIsSymmetric() {
        // Only net_rx:web is listed; a web VM is then kept away from the net_rx VM on pm3.
        ClusterSnapshot c = cluster(List.of(host("pm3", 0.1), host("pm1", 0.2)), List.of(vm("n1", "pm3", NET_RX), vm("d1", "pm1", DISK_IO)));
        PlacementResult r = select(c, spec(WEB), affinity(Map.of("matrix", "net_rx:web=-0.9")));

        assertThat(r.selected()).containsExactly("pm1");
        assertThat(rejection(r, "pm3").orElseThrow().reason()).contains("web VM would share the host with 1 net_rx VM(s)");
        // With this matrix disk_io:disk_io is unlisted (0), so a disk_io VM may join pm1's disk_io VM.
        assertThat(select(c, spec(DISK_IO), affinity(Map.of("matrix", "net_rx:web=-0.9"))).rejected()).isEmpty();
    }

    @Test
    void mixedWorkloadsHaveNoConflictsByDefault() {
        assertThat(select(MIXED_CLUSTER, spec(MIXED), affinity(Map.of())).rejected()).isEmpty();
    }

    @Test
    void laterInstancesOfOneRequestAreNeighboursOfTheEarlierOnes() {
        ClusterSnapshot empty = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)), List.of());
        PlacementResult two = select(empty, spec(DISK_IO), 2, affinity(Map.of()));
        assertThat(two.selected()).containsExactly("pm1", "pm2");

        PlacementResult three = select(empty, spec(DISK_IO), 3, affinity(Map.of()));
        assertThat(three.selected()).isEmpty();
        assertThat(three.rejected()).extracting(Rejection::reason)
                .allSatisfy(reason -> assertThat(reason).contains("1 disk_io VM(s)"));
    }

    @Test
    void aMovedVmIsNotItsOwnNeighbour() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("d1", "pm1", DISK_IO), vm("d2", "pm2", DISK_IO)));
        PlacementResult r = select(c, move("d1", "pm1", DISK_IO), affinity(Map.of()));

        assertThat(r.selected()).containsExactly("pm1");
        assertThat(rejection(r, "pm2").orElseThrow().reason()).contains("1 disk_io VM(s)");
    }

    @Test
    void serverGroupsStillApply() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("g1", "pm1", MIXED), vm("x", "pm2", MIXED)));
        ServerGroup anti = new ServerGroup("web", GroupPolicy.ANTI_AFFINITY, Set.of("g1"));
        PlacementResult r = select(c, spec(SMALL, MIXED, anti), affinity(Map.of()));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("anti-affinity").contains("server group 'web'");

        ServerGroup together = new ServerGroup("web", GroupPolicy.AFFINITY, Set.of("x"));
        PlacementResult r2 = select(c, spec(SMALL, MIXED, together), affinity(Map.of()));
        assertThat(r2.selected()).containsExactly("pm2");
        assertThat(rejection(r2, "pm1").orElseThrow().reason()).contains("affinity: server group 'web' runs on [pm2]");
    }

    @Test
    void serverGroupAndWorkloadRulesCombine() {
        // Affinity pins the VM to pm1, whose disk_io neighbour the workload rule forbids: no host is left.
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)), List.of(vm("d1", "pm1", DISK_IO)));
        ServerGroup together = new ServerGroup("db", GroupPolicy.AFFINITY, Set.of("d1"));
        PlacementResult r = select(c, spec(SMALL, DISK_IO, together), affinity(Map.of()));
        assertThat(r.selected()).isEmpty();
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("workload affinity");
        assertThat(rejection(r, "pm2").orElseThrow().reason()).contains("server group 'db' runs on [pm1]");
    }

    @Test
    void aBadMatrixIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> affinity(Map.of("matrix", "cpu:gpu=-0.5")))
                .isInstanceOf(PolicyConfigException.class)
                .satisfies(e -> assertThat(((PolicyConfigException) e).problems())
                        .anySatisfy(p -> {
                            assertThat(p.field()).isEqualTo("[AffinityFilter] matrix");
                            assertThat(p.message()).contains("unknown workload class 'gpu'");
                        }));
        assertThatThrownBy(() -> affinity(Map.of("matrix", "cpu:cpu=-1.5"))).hasMessageContaining("outside [-1, 1]");
        assertThatThrownBy(() -> affinity(Map.of("matrix", "cpu:web=0.2, web:cpu=-0.2"))).hasMessageContaining("symmetric");
        assertThatThrownBy(() -> affinity(Map.of("floor", "-2"))).isInstanceOf(PolicyConfigException.class);
    }
}
