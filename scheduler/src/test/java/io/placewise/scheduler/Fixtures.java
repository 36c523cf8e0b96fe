package io.placewise.scheduler;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Small clusters and plugins for pipeline tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Host host(String name, double cpu) {
        return new Host(name, new Capacity(8, 16384, 500, 1000), cpu, 0.2, 0, 0.1, true);
    }

    static Vm vm(String id, String host) {
        return new Vm(id, host, 1, 1024, 10, 0.1, 0.5, 0, 0, WorkloadClass.MIXED, Set.of(), null);
    }

    static ClusterSnapshot cluster(Host... hosts) {
        return new ClusterSnapshot(List.of(hosts), List.of(), List.of(), Map.of());
    }

    static PlacementRequest request(ClusterSnapshot cluster) {
        return PlacementRequest.of(cluster, PlacementSpec.of(new Flavor(1, 1024, 10, Map.of())));
    }

    static PolicySet policies(List<HostFilter> filters, List<HostWeigher> weighers, Map<String, Map<String, String>> sections) {
        return PolicySet.configure(new PolicyCatalog(filters, weighers), sections, List.of(), Map.of());
    }

    /** Rejects the named hosts, saying so. */
    record Reject(String name, Set<String> hosts) implements HostFilter {
        @Override
        public String description() {
            return "rejects " + hosts;
        }

        @Override
        public HostCheck prepare(PlacementContext context, PolicyParams params) {
            return h -> hosts.contains(h.name()) ? Verdict.reject(name + " does not like " + h.name()) : Verdict.pass();
        }
    }

    /** Scores each host with a function of the host. */
    record Score(String name, ToDoubleFunction<Host> f) implements HostWeigher {
        @Override
        public String description() {
            return "test weigher";
        }

        @Override
        public HostScorer prepare(PlacementContext context, PolicyParams params) {
            return f::applyAsDouble;
        }
    }
}
