package io.placewise.filters;

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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.PlacementSpec;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyConfigException;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 002 §3.2 observation 3 through the real pipeline. Without weighers the first survivor wins,
 * so the host listed first is chosen unless the filter turns it away.
 */
class SameNonsharableResourceFilterTest {
    private static final String NAME = "SameNonsharableResourceFilter";

    private static PolicySet nonsharable(Map<String, String> params) {
        return policies(List.of(new ComputeFilter(), new SameNonsharableResourceFilter()), List.of(),
                params.isEmpty() ? Map.of() : Map.of(NAME, params));
    }

    @Test
    void aDiskIoVmHoldsTheDiskByItsClass() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("d1", "pm1", DISK_IO), vm("c1", "pm2", CPU)));
        PlacementResult r = select(c, spec(DISK_IO), nonsharable(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        Rejection pm1 = rejection(r, "pm1").orElseThrow();
        assertThat(pm1.filter()).isEqualTo(NAME);
        assertThat(pm1.reason()).isEqualTo("nonsharable resource 'disk' is already used by 1 VM(s) here (d1); the VM needs [disk]");
    }

    @Test
    void explicitResourcesOfTheSpecAndOfNeighboursCount() {
        // The neighbour on pm1 lists "LLC" itself (names compare case-insensitively); pm2's disk_io VM
        // holds only the disk, which a VM asking for the cache does not need.
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("m1", "pm1", MIXED, "LLC"), vm("d1", "pm2", DISK_IO)));
        PlacementResult r = select(c, spec(CPU, "llc"), nonsharable(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("'llc'").contains("(m1)");
    }

    @Test
    void theFlavorExtraSpecAddsResources() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("g1", "pm1", MIXED, "gpu0"), vm("m2", "pm2", MIXED)));
        Flavor flavor = new Flavor(1, 1024, 10, Map.of(io.placewise.model.FlavorExtraSpecs.NONSHARABLE, " GPU0 , nvme"));
        PlacementSpec spec = new PlacementSpec(null, flavor, MIXED, null, null, null, null, null);
        PlacementResult r = select(c, spec, nonsharable(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("'gpu0'").contains("[gpu0, nvme]");
        // Without the extra spec the same VM needs nothing.
        assertThat(select(c, spec(MIXED), nonsharable(Map.of())).selected()).containsExactly("pm1");
    }

    @Test
    void theClassMappingIsConfigurable() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("c1", "pm1", CPU), vm("d1", "pm2", DISK_IO)));
        // By default a cpu VM holds nothing, so it may join another cpu VM.
        assertThat(select(c, spec(CPU), nonsharable(Map.of())).selected()).containsExactly("pm1");

        PlacementResult r = select(c, spec(CPU), nonsharable(Map.of("workload_resources", "cpu:llc, disk_io:disk")));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("'llc'").contains("(c1)");
    }

    @Test
    void aVmNeedingNothingGoesAnywhere() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1)), List.of(vm("d1", "pm1", DISK_IO, "llc")));
        assertThat(select(c, spec(CPU), nonsharable(Map.of())).rejected()).isEmpty();
    }

    @Test
    void earlierInstancesOfTheRequestHoldTheirResources() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)), List.of());
        assertThat(select(c, spec(DISK_IO), 2, nonsharable(Map.of())).selected()).containsExactly("pm1", "pm2");

        PlacementResult three = select(c, spec(DISK_IO), 3, nonsharable(Map.of()));
        assertThat(three.selected()).isEmpty();
        assertThat(three.rejected()).extracting(Rejection::reason)
                .allSatisfy(reason -> assertThat(reason).contains("(this request)"));
    }

    @Test
    void aMovedVmDoesNotBlockItsOwnHost() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2)),
                List.of(vm("d1", "pm1", DISK_IO, "llc"), vm("d2", "pm2", DISK_IO)));
        PlacementResult r = select(c, move("d1", "pm1", DISK_IO, "llc"), nonsharable(Map.of()));
        assertThat(r.selected()).containsExactly("pm1");
        assertThat(rejection(r, "pm2").orElseThrow().reason()).contains("(d2)");
    }

    @Test
    void aBadMappingIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> nonsharable(Map.of("workload_resources", "storage:disk")))
                .isInstanceOf(PolicyConfigException.class)
                .satisfies(e -> assertThat(((PolicyConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p.field()).isEqualTo("[" + NAME + "] workload_resources")));
        assertThatThrownBy(() -> nonsharable(Map.of("workload_resources", "disk_io"))).hasMessageContaining("class:resource");
        assertThatThrownBy(() -> nonsharable(Map.of("workload_resources", "disk_io: "))).hasMessageContaining("names no resource");
    }
}
