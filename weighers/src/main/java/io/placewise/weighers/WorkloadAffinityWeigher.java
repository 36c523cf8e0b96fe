package io.placewise.weighers;

import io.placewise.plugin.WorkloadAffinityParam;
import io.placewise.plugin.Neighbours;
import io.placewise.model.WorkloadAffinityMatrix;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import java.util.ArrayList;
import java.util.List;

/** Prefers hosts whose neighbours pair well with the VM: the sum of their workload-affinity scores (seed 002 §3.2, Table 2). */
public final class WorkloadAffinityWeigher implements HostWeigher {

    @Override
    public String description() {
        return "Prefers neighbours of a well-matched workload class: sum of the affinity matrix scores with the host's VMs"
                + " (seed 002 §3.2, Table 2)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(WorkloadAffinityParam.spec());
    }

    @Override
    public void validate(PolicyParams params) {
        WorkloadAffinityParam.validate(params);
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        WorkloadAffinityMatrix matrix = WorkloadAffinityParam.of(params);
        WorkloadClass mine = context.spec().workload();
        // Only the classes that score against the VM's; per host one index lookup for all of them.
        List<WorkloadClass> scored = new ArrayList<>();
        for (WorkloadClass c : WorkloadClass.values()) {
            if (matrix.score(mine, c) != 0) {
                scored.add(c);
            }
        }
        if (scored.isEmpty()) {
            return host -> 0;
        }
        WorkloadClass[] classes = scored.toArray(WorkloadClass[]::new);
        double[] scores = scored.stream().mapToDouble(c -> matrix.score(mine, c)).toArray();
        Neighbours neighbours = Neighbours.of(context); // shared per-request state
        return host -> neighbours.weightedCount(host.name(), classes, scores);
    }
}
