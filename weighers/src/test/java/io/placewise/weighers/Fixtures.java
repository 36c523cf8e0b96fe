package io.placewise.weighers;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostWeigher;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.WeighedHost;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Small clusters and a real pipeline for the weigher tests. */
final class Fixtures {
    static final Capacity GIGABIT = new Capacity(16, 32768, 1000, 1000);
    static final Flavor SMALL = new Flavor(1, 1024, 10, Map.of());

    private Fixtures() {
    }

    static Host host(String name, double cpu) {
        return new Host(name, GIGABIT, cpu, 0.3, 0, 0.1, true);
    }

    static Host host(String name, double cpu, double nic) {
        return new Host(name, GIGABIT, cpu, 0.3, 0, nic, true);
    }

    static Vm vm(String id, String host, WorkloadClass workload) {
        return new Vm(id, host, 1, 1024, 10, 0.1, 0.3, 0, 1, workload, Set.of(), null);
    }

    static ClusterSnapshot cluster(List<Host> hosts, List<Vm> vms, List<Traffic> traffic) {
        return new ClusterSnapshot(hosts, vms, traffic, Map.of());
    }

    static PlacementSpec spec(WorkloadClass workload) {
        return new PlacementSpec(null, SMALL, workload, Set.of(), null, List.of(), null, Map.of());
    }

    static PlacementSpec newVm(List<PeerTraffic> traffic) {
        return new PlacementSpec(null, SMALL, WorkloadClass.MIXED, Set.of(), null, traffic, null, Map.of());
    }

    /** An existing VM being moved off {@code source}. */
    static PlacementSpec move(String id, String source) {
        return new PlacementSpec(id, SMALL, WorkloadClass.MIXED, Set.of(), null, List.of(), source, Map.of());
    }

    static PolicySet policies(List<HostWeigher> weighers, Map<String, Map<String, String>> sections) {
        return PolicySet.configure(new PolicyCatalog(List.of(), weighers), sections, List.of(), Map.of());
    }

    static PlacementResult select(ClusterSnapshot cluster, PlacementSpec spec, PolicySet policies) {
        return new PlacementPipeline().select(PlacementRequest.of(cluster, spec), policies);
    }

    static PlacementResult select(ClusterSnapshot cluster, PlacementSpec spec, Predicate<Host> candidates,
                                  int instances, List<HistoryRecord> history, PolicySet policies) {
        List<Host> hosts = cluster.hosts().stream().filter(candidates).toList();
        return new PlacementPipeline().select(new PlacementRequest(cluster, spec, hosts, instances, history), policies);
    }

    /** Host → the named weigher's raw score. */
    static Map<String, Double> raw(PlacementResult result, String weigher) {
        return result.weighed().stream().collect(java.util.stream.Collectors.toMap(WeighedHost::host,
                w -> w.rawBy(result.weigherNames()).get(weigher)));
    }
}
