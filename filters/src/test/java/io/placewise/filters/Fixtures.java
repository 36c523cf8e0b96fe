package io.placewise.filters;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small clusters and a real pipeline for the filter tests. */
final class Fixtures {
    static final Capacity CAPACITY = new Capacity(16, 32768, 1000, 1000);
    static final Flavor SMALL = new Flavor(1, 1024, 10, Map.of());

    private Fixtures() {
    }

    static Host host(String name, double cpu) {
        return new Host(name, CAPACITY, cpu, 0.3, 0, 0.1, true);
    }

    static Host host(String name, double cpu, double swapWrites, double nic) {
        return new Host(name, CAPACITY, cpu, 0.3, swapWrites, nic, true);
    }

    static Vm vm(String id, String host, WorkloadClass workload, String... nonsharable) {
        return new Vm(id, host, 1, 1024, 10, 0.1, 0.3, 0, 1, workload, Set.of(nonsharable), null);
    }

    static ClusterSnapshot cluster(List<Host> hosts, List<Vm> vms) {
        return new ClusterSnapshot(hosts, vms, List.<Traffic>of(), Map.of());
    }

    static ClusterSnapshot cluster(List<Host> hosts, List<Vm> vms, Map<String, List<LoadSample>> samples) {
        return new ClusterSnapshot(hosts, vms, List.of(), samples);
    }

    static LoadSample cpuSample(int second, double cpu) {
        return new LoadSample(Instant.ofEpochSecond(1_700_000_000L + 10L * second), cpu, 0.3, 0, 0.1);
    }

    static PlacementSpec spec(WorkloadClass workload, String... nonsharable) {
        return new PlacementSpec(null, SMALL, workload, Set.of(nonsharable), null, List.<PeerTraffic>of(), null, Map.of());
    }

    static PlacementSpec spec(Flavor flavor, WorkloadClass workload, ServerGroup group) {
        return new PlacementSpec(null, flavor, workload, Set.of(), group, List.of(), null, Map.of());
    }

    /** An existing VM being moved off {@code source}. */
    static PlacementSpec move(String id, String source, WorkloadClass workload, String... nonsharable) {
        return new PlacementSpec(id, SMALL, workload, Set.of(nonsharable), null, List.of(), source, Map.of());
    }

    static PolicySet policies(List<HostFilter> filters, List<HostWeigher> weighers, Map<String, Map<String, String>> sections) {
        return PolicySet.configure(new PolicyCatalog(filters, weighers), sections, List.of(), Map.of());
    }

    static PlacementResult select(ClusterSnapshot cluster, PlacementSpec spec, PolicySet policies) {
        return new PlacementPipeline().select(PlacementRequest.of(cluster, spec), policies);
    }

    static PlacementResult select(ClusterSnapshot cluster, PlacementSpec spec, int instances, PolicySet policies) {
        List<Host> candidates = cluster.hosts().stream().filter(Host::enabled).toList();
        return new PlacementPipeline().select(new PlacementRequest(cluster, spec, candidates, instances, List.of()), policies);
    }

    static Optional<Rejection> rejection(PlacementResult result, String host) {
        return result.rejected().stream().filter(r -> r.host().equals(host)).findFirst();
    }
}
