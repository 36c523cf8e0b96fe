package io.placewise.filters;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nova's hard server-group rules, and ComputeFilter. */
class ServerGroupAffinityTest {
    final PolicySet policies = PolicySet.configure(
            new PolicyCatalog(List.of(new ComputeFilter(), new AffinityFilter()), List.of()), Map.of(), List.of(), Map.of());
    // m1 (group g) on pm1 via its group field; m2 on pm2 named only as a member in the request.
    final ClusterSnapshot cluster = new ClusterSnapshot(
            List.of(host("pm1", true), host("pm2", true), host("pm3", true), host("pm4", false)),
            List.of(vm("m1", "pm1", "g"), vm("m2", "pm2", null), vm("other", "pm3", null)), List.of(), Map.of());

    static Host host(String name, boolean enabled) {
        return new Host(name, new Capacity(8, 16384, 100, 1000), 0.1, 0.1, 0, 0, enabled);
    }

    static Vm vm(String id, String host, String group) {
        return new Vm(id, host, 1, 1024, 10, 0, 0, 0, 0, WorkloadClass.MIXED, Set.of(), group);
    }

    PlacementResult place(GroupPolicy policy, String self) {
        PlacementSpec spec = new PlacementSpec(self, new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                new ServerGroup("g", policy, Set.of("m2")), List.of(), null, Map.of());
        return new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 1, List.of()), policies);
    }

    @Test
    void antiAffinityAvoidsEveryHostWithAMember() {
        PlacementResult r = place(GroupPolicy.ANTI_AFFINITY, null);
        assertThat(r.selected()).containsExactly("pm3");
        assertThat(r.rejected()).filteredOn(x -> x.filter().equals("AffinityFilter"))
                .extracting(x -> x.host() + ": " + x.reason())
                .containsExactly("pm1: anti-affinity: 1 member(s) of server group 'g' already here",
                        "pm2: anti-affinity: 1 member(s) of server group 'g' already here");
        assertThat(r.rejected()).filteredOn(x -> x.filter().equals("ComputeFilter"))
                .extracting(x -> x.host() + ": " + x.reason()).containsExactly("pm4: host is disabled");
    }

    @Test
    void affinityStaysWithTheGroup() {
        PlacementResult r = place(GroupPolicy.AFFINITY, null);
        assertThat(r.passed()).containsExactly("pm1", "pm2");
        assertThat(r.rejected()).filteredOn(x -> x.host().equals("pm3")).singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo("affinity: server group 'g' runs on [pm1, pm2], not here"));
    }

    @Test
    void aMovingMemberDoesNotConflictWithItself() {
        // m1 re-placed (e.g. live migration) with anti-affinity: pm1 holds only m1 itself.
        PlacementResult r = place(GroupPolicy.ANTI_AFFINITY, "m1");
        assertThat(r.passed()).containsExactly("pm1", "pm3");
    }

    @Test
    void multiCreateWithAntiAffinitySpreadsInstances() {
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                new ServerGroup("fresh", GroupPolicy.ANTI_AFFINITY, Set.of()), List.of(), null, Map.of());
        PlacementResult r = new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 3, List.of()), policies);
        assertThat(r.selected()).containsExactly("pm1", "pm2", "pm3");
        PlacementResult four = new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 4, List.of()), policies);
        assertThat(four.selected()).isEmpty();
    }

    @Test
    void hostsTheCloudReportsCountEvenWhenTheirMembersAreUnknown() {
        // Nova's InstanceGroup.hosts names pm3 although Placewise has never seen that member.
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                new ServerGroup("fresh", GroupPolicy.ANTI_AFFINITY, Set.of("unseen"), Set.of("pm3")), List.of(), null, Map.of());
        PlacementResult r = new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 1, List.of()), policies);
        assertThat(r.passed()).containsExactly("pm1", "pm2");
        assertThat(r.rejected()).filteredOn(x -> x.host().equals("pm3")).singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo("anti-affinity: 1 member(s) of server group 'fresh' already here"));
    }

    @Test
    void theInstancesOwnHostPassesAntiAffinityAsInNova() {
        // A resize of m9, which runs on pm3: Nova reports the group on pm3 because of m9 itself.
        PlacementSpec spec = new PlacementSpec("m9", new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                new ServerGroup("g", GroupPolicy.ANTI_AFFINITY, Set.of("m2"), List.of("pm2", "pm3"), 1), List.of(), "pm3", Map.of());
        PlacementResult r = new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 1, List.of()), policies);
        assertThat(r.passed()).containsExactly("pm3");
    }

    @Test
    void maxPerHostLetsThatManyMembersShareAHost() {
        // pm1 holds m1 (its group field), pm2 holds m2; Nova lists pm3 twice (two instances of this
        // request placed there).
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, Set.of(),
                new ServerGroup("g", GroupPolicy.ANTI_AFFINITY, Set.of("m2"), List.of("pm3", "pm3"), 2), List.of(), null, Map.of());
        PlacementResult r = new PlacementPipeline().select(new PlacementRequest(cluster, spec, cluster.hosts(), 1, List.of()), policies);
        assertThat(r.passed()).containsExactly("pm1", "pm2");
        assertThat(r.rejected()).filteredOn(x -> x.filter().equals("AffinityFilter")).extracting(x -> x.host() + ": " + x.reason())
                .containsExactly("pm3: anti-affinity: 2 member(s) of server group 'g' already here (max_server_per_host 2)");
    }
}
