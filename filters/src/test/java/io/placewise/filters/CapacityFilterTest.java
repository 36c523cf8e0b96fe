package io.placewise.filters;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapacityFilterTest {
    // Each host: 4 pCPU, 8 GiB, 100 GB disk, 1 Gbit/s.
    static Host host(String name, double nicUtil) {
        return new Host(name, new Capacity(4, 8192, 100, 1000), 0.2, 0.2, 0, nicUtil, true);
    }

    static Vm vm(String id, String host, int vcpus, long mem, long disk) {
        return new Vm(id, host, vcpus, mem, disk, 0.1, 0.5, 0, 0, WorkloadClass.MIXED, Set.of(), null);
    }

    static PlacementResult place(ClusterSnapshot c, PlacementSpec spec, Map<String, String> params) {
        PolicySet set = PolicySet.configure(new PolicyCatalog(List.of(new CapacityFilter()), List.of()),
                Map.of("CapacityFilter", params), List.of(), Map.of());
        return new PlacementPipeline().select(PlacementRequest.of(c, spec), set);
    }

    @Test
    void vcpusCountAgainstTheAllocationRatio() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("full", 0), host("room", 0)),
                List.of(vm("v1", "full", 14, 1024, 10), vm("v2", "room", 12, 1024, 10)), List.of(), Map.of());
        PlacementSpec spec = PlacementSpec.of(new Flavor(3, 1024, 10, Map.of()));

        // Ratio 4: 16 vCPU per host. full has 2 left, room has 4.
        PlacementResult r = place(c, spec, Map.of("cpu_allocation_ratio", "4.0"));
        assertThat(r.selected()).containsExactly("room");
        assertThat(r.rejected()).singleElement().satisfies(rej -> {
            assertThat(rej.host()).isEqualTo("full");
            assertThat(rej.filter()).isEqualTo("CapacityFilter");
            assertThat(rej.reason()).isEqualTo("needs 3 vCPU, 2 free of 16 (4 × ratio 4)");
        });

        // Ratio 3: 12 vCPU per host: neither fits.
        assertThat(place(c, spec, Map.of("cpu_allocation_ratio", "3.0")).selected()).isEmpty();
    }

    @Test
    void ramAndDiskAreCheckedWithTheirOwnRatios() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("ramfull", 0), host("diskfull", 0), host("ok", 0)),
                List.of(vm("v1", "ramfull", 1, 7168, 10), vm("v2", "diskfull", 1, 1024, 95)), List.of(), Map.of());
        PlacementResult r = place(c, PlacementSpec.of(new Flavor(1, 2048, 10, Map.of())), Map.of());

        assertThat(r.selected()).containsExactly("ok");
        assertThat(r.rejected()).extracting(Rejection::host, Rejection::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ramfull", "needs 2048 MB RAM, 1024 MB free of 8192 MB"),
                org.assertj.core.groups.Tuple.tuple("diskfull", "needs 10 GB disk, 5 GB free of 100 GB"));

        // Overcommitting RAM 1.5x makes ramfull acceptable.
        assertThat(place(c, PlacementSpec.of(new Flavor(1, 2048, 10, Map.of())), Map.of("ram_allocation_ratio", "1.5")).passed())
                .contains("ramfull");
    }

    @Test
    void nicHeadroomCountsOnlyTrafficToPeersOnOtherHosts() {
        // The new VM will talk 300 Mbit/s to peer p on busy. On busy that traffic is IDC (free);
        // on other it crosses the NIC, pushing it from 80 % to 110 %.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("busy", 0.8), host("other", 0.8)),
                List.of(vm("p", "busy", 1, 1024, 10)), List.of(), Map.of());
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), WorkloadClass.NET_RX, Set.of(),
                null, List.of(new PeerTraffic("p", 300)), null, Map.of());

        PlacementResult r = place(c, spec, Map.of());
        assertThat(r.passed()).containsExactly("busy");
        assertThat(r.rejected()).singleElement().extracting(Rejection::reason).asString()
                .contains("NIC would reach 110%").contains("300 Mbit/s");
    }

    @Test
    void aMovedVmsMeasuredTrafficCountsWithoutBeingDeclared() {
        // m (on src) talks 300 Mbit/s with p (on busy), as the cluster measured; the move's spec declares nothing.
        // busy holds the peer (IDC there); on other the traffic crosses the NIC: 80 % → 110 %.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("src", 0.3), host("busy", 0.8), host("other", 0.8)),
                List.of(vm("p", "busy", 1, 1024, 10), vm("m", "src", 1, 1024, 10)),
                List.of(new io.placewise.model.Traffic("m", "p", 300)), Map.of());
        PlacementSpec move = new PlacementSpec("m", new Flavor(1, 1024, 10, Map.of()), WorkloadClass.MIXED, Set.of(),
                null, List.of(), "src", Map.of());
        PolicySet set = PolicySet.configure(new PolicyCatalog(List.of(new CapacityFilter()), List.of()),
                Map.of(), List.of(), Map.of());
        PlacementResult r = new PlacementPipeline().select(new PlacementRequest(c, move,
                List.of(c.host("busy"), c.host("other")), 1, List.of()), set);
        assertThat(r.passed()).containsExactly("busy");
        assertThat(r.rejected()).singleElement().extracting(Rejection::reason).asString()
                .contains("NIC would reach 110%").contains("300 Mbit/s");
    }
}
