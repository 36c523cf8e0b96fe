package io.placewise.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterSnapshotIndexTest {
    private static final Capacity CAP = new Capacity(8, 16384, 500, 1000);

    private static Vm vm(String id, String host, WorkloadClass w, String... nonsharable) {
        return new Vm(id, host, 1, 512, 10, 0.1, 0.1, 0, 0, w, Set.of(nonsharable), null);
    }

    @Test
    void countsWorkloadsAndNonsharableResourcesPerHost() {
        ClusterSnapshot c = new ClusterSnapshot(
                List.of(new Host("a", CAP, 0, 0, 0, 0, true), new Host("b", CAP, 0, 0, 0, 0, true)),
                List.of(vm("1", "a", WorkloadClass.CPU, "LLC"), vm("2", "a", WorkloadClass.CPU, "llc ", "disk"),
                        vm("3", "a", null), vm("4", "b", WorkloadClass.DISK_IO)),
                List.of(), Map.of());

        assertThat(c.workloadCount("a", WorkloadClass.CPU)).isEqualTo(2);
        assertThat(c.workloadCount("a", WorkloadClass.MIXED)).isEqualTo(1);
        assertThat(c.workloadCount("a", WorkloadClass.DISK_IO)).isZero();
        assertThat(c.workloadCount("b", WorkloadClass.DISK_IO)).isEqualTo(1);
        assertThat(c.workloadCount("nowhere", WorkloadClass.CPU)).isZero();

        assertThat(c.nonsharableCount("a", "llc")).isEqualTo(2);
        assertThat(c.nonsharableCount("a", " LLC")).isEqualTo(2);
        assertThat(c.nonsharableCount("a", "disk")).isEqualTo(1);
        assertThat(c.nonsharableCount("b", "disk")).isZero();
        assertThat(c.nonsharableCount("nowhere", "disk")).isZero();
    }
}
