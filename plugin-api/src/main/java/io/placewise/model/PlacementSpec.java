package io.placewise.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to place. {@code sourceHost} is set when an existing VM is being moved (the balancer's
 * question); it is null for a new VM. {@code hints} are Nova scheduler hints, passed through.
 */
public record PlacementSpec(String instanceUuid, Flavor flavor, WorkloadClass workload,
                            Set<String> nonsharable, ServerGroup group, List<PeerTraffic> traffic,
                            String sourceHost, Map<String, List<String>> hints) {
    public PlacementSpec {
        Objects.requireNonNull(flavor, "flavor");
        workload = workload == null ? WorkloadClass.MIXED : workload;
        nonsharable = nonsharable == null ? Set.of() : Set.copyOf(nonsharable);
        traffic = traffic == null ? List.of() : List.copyOf(traffic);
        hints = hints == null ? Map.of() : Map.copyOf(hints);
    }

    /** A spec for a new VM of the given flavor with nothing else set. */
    public static PlacementSpec of(Flavor flavor) {
        return new PlacementSpec(null, flavor, WorkloadClass.MIXED, Set.of(), null, List.of(), null, Map.of());
    }

    /** This VM as a model VM on {@code host}, as used when the pipeline claims resources. */
    public Vm asVm(String id, String host) {
        String groupName = group == null ? null : group.name();
        return new Vm(id, host, flavor.vcpus(), flavor.memoryMb(), flavor.diskGb(), 0, 0, 0, 0,
                workload, nonsharable, groupName);
    }
}
