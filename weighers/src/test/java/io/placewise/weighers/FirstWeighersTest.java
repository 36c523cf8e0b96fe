package io.placewise.weighers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostWeigher;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.WeighedHost;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirstWeighersTest {
    final PolicySet all = PolicySet.configure(new PolicyCatalog(List.of(), List.of(new BalanceWeigher(),
            new ServerGroupSoftAffinityWeigher(), new ServerGroupSoftAntiAffinityWeigher())), Map.of(), List.of(), Map.of());

    static Host host(String name, double cpu, double mem) {
        return new Host(name, new Capacity(8, 16384, 100, 1000), cpu, mem, 0, 0, true);
    }

    static Vm member(String id, String host) {
        return new Vm(id, host, 1, 1024, 10, 0, 0, 0, 0, WorkloadClass.MIXED, Set.of(), "g");
    }

    List<String> order(ClusterSnapshot c, GroupPolicy policy) {
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                policy == null ? null : new ServerGroup("g", policy, Set.of()), List.of(), null, Map.of());
        return new PlacementPipeline().select(PlacementRequest.of(c, spec), all).weighed().stream().map(WeighedHost::host).toList();
    }

    @Test
    void balancePrefersLowerCpuThenLowerMemory() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("busy", 0.8, 0.1), host("idleFullMem", 0.2, 0.9),
                host("idle", 0.2, 0.3)), List.of(), List.of(), Map.of());
        assertThat(order(c, null)).containsExactly("idle", "idleFullMem", "busy");
    }

    @Test
    void softAffinityGathersAndSoftAntiAffinitySpreadsEvenAgainstLoad() {
        // Two members on a busier host, one on another, none on the idlest.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("two", 0.5, 0.2), host("one", 0.4, 0.2), host("none", 0.3, 0.2)),
                List.of(member("a", "two"), member("b", "two"), member("c", "one")), List.of(), Map.of());
        assertThat(order(c, GroupPolicy.SOFT_AFFINITY).get(0)).isEqualTo("two");
        assertThat(order(c, GroupPolicy.SOFT_ANTI_AFFINITY)).containsExactly("none", "one", "two");
    }

    private static final Map<String, Map<String, String>> FIXED_BOUNDS = Map.of("BalanceWeigher", Map.of("fixed_bounds", "true"));

    private static PolicySet balanceAnd(HostWeigher other, Map<String, Map<String, String>> sections) {
        return PolicySet.configure(new PolicyCatalog(List.of(), List.of(new BalanceWeigher(), other)), sections, List.of(), Map.of());
    }

    @Test
    void withFixedBoundsAOnePercentLoadDifferenceStaysOnePercentOfTheBalanceWeight() {
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("calm", 0.50, 0.3), host("busier", 0.51, 0.3)), List.of(),
                List.of(), Map.of());
        PlacementRequest request = PlacementRequest.of(c, PlacementSpec.of(new Flavor(1, 1024, 10, Map.of())));

        PlacementResult fixed = new PlacementPipeline().select(request, balanceAnd(new ServerGroupSoftAffinityWeigher(), FIXED_BOUNDS));
        PlacementResult spread = new PlacementPipeline().select(request, balanceAnd(new ServerGroupSoftAffinityWeigher(), Map.of()));

        // Declared bounds [0, 1 + tie-break]: 0.01 apart; over the candidates' spread: 1 and 0.
        assertThat(fixed.weighed().get(0).host()).isEqualTo("calm");
        assertThat(balance(fixed, 0) - balance(fixed, 1)).isCloseTo(0.01 / 1.001, within(1e-9));
        assertThat(balance(fixed, 0)).isCloseTo((0.5 + 0.001 * 0.7) / 1.001, within(1e-9));
        assertThat(balance(spread, 0)).isEqualTo(1.0);
        assertThat(balance(spread, 1)).isEqualTo(0.0);
    }

    private static double balance(PlacementResult r, int rank) {
        return r.weighed().get(rank).by(r.weigherNames()).get("BalanceWeigher");
    }

    @Test
    void withFixedBoundsANearTieInLoadDoesNotOutvoteTheHostOfTheVmsPeer() {
        // The new VM talks to "peer" on the slightly busier host; both weighers at multiplier 1.
        ClusterSnapshot c = new ClusterSnapshot(List.of(host("calm", 0.50, 0.3), host("busier", 0.51, 0.3)),
                List.of(member("peer", "busier")), List.of(), Map.of());
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, Set.of(), null,
                List.of(new PeerTraffic("peer", 100)), null, Map.of());
        PlacementRequest request = PlacementRequest.of(c, spec);

        PlacementResult fixed = new PlacementPipeline().select(request, balanceAnd(new IdcNetworkBenefitWeigher(), FIXED_BOUNDS));
        PlacementResult spread = new PlacementPipeline().select(request, balanceAnd(new IdcNetworkBenefitWeigher(), Map.of()));

        assertThat(fixed.selected()).containsExactly("busier");
        // Stretched to [0, 1], the 1 % lead ties the peer's whole IDC weight and wins on candidate order.
        assertThat(spread.selected()).containsExactly("calm");
    }
}
