package io.placewise.weighers;

import static io.placewise.weighers.Fixtures.cluster;
import static io.placewise.weighers.Fixtures.host;
import static io.placewise.weighers.Fixtures.policies;
import static io.placewise.weighers.Fixtures.raw;
import static io.placewise.weighers.Fixtures.select;
import static io.placewise.weighers.Fixtures.spec;
import static io.placewise.weighers.Fixtures.vm;
import static io.placewise.model.WorkloadClass.CPU;
import static io.placewise.model.WorkloadClass.DISK_IO;
import static io.placewise.model.WorkloadClass.MIXED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.placewise.model.ClusterSnapshot;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyConfigException;
import io.placewise.scheduler.PolicySet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soft workload-affinity matrix (seed 002 §3.2, Table 2) through the real pipeline. */
class WorkloadAffinityWeigherTest {
    private static final String NAME = "WorkloadAffinityWeigher";
    // pm1: two cpu VMs (2 × -0.6), pm2: a disk_io VM (+0.5), pm3: a mixed VM (0); pm1 is listed first.
    private static final ClusterSnapshot C = cluster(List.of(host("pm1", 0.3), host("pm2", 0.3), host("pm3", 0.3)),
            List.of(vm("c1", "pm1", CPU), vm("c2", "pm1", CPU), vm("d1", "pm2", DISK_IO), vm("m1", "pm3", MIXED)), List.of());

    private static PolicySet affinity(Map<String, String> params) {
        return policies(List.of(new WorkloadAffinityWeigher()), params.isEmpty() ? Map.of() : Map.of(NAME, params));
    }

    @Test
    void aCpuVmPrefersADiskIoNeighbourAndAvoidsCpuOnes() {
        PlacementResult r = select(C, spec(CPU), affinity(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        assertThat(raw(r, NAME).get("pm1")).isCloseTo(-1.2, within(1e-9));
        assertThat(raw(r, NAME)).containsEntry("pm2", 0.5).containsEntry("pm3", 0.0);
        assertThat(r.alternates(2)).containsExactly("pm3", "pm1");
    }

    @Test
    void theMatrixIsAParameter() {
        PlacementResult r = select(C, spec(CPU), affinity(Map.of("matrix", "cpu:cpu=0.9")));
        assertThat(r.selected()).containsExactly("pm1");
        assertThat(raw(r, NAME).get("pm1")).isCloseTo(1.8, within(1e-9));
    }

    @Test
    void laterInstancesSeeTheEarlierOnes() {
        ClusterSnapshot empty = cluster(List.of(host("pm1", 0.3), host("pm2", 0.3)), List.of(), List.of());
        PlacementResult r = select(empty, spec(CPU), h -> true, 2, List.of(), affinity(Map.of()));
        assertThat(r.selected()).containsExactly("pm1", "pm2");
    }

    @Test
    void aBadMatrixIsRefused() {
        assertThatThrownBy(() -> affinity(Map.of("matrix", "cpu=cpu:0.5")))
                .isInstanceOf(PolicyConfigException.class)
                .satisfies(e -> assertThat(((PolicyConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p.field()).isEqualTo("[" + NAME + "] matrix")));
    }
}
