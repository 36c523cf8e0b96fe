package io.placewise.weighers;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import java.util.List;

/** Prefers the destination of the latest history record whose CPU load vector is similar to today's (seed 000 §3.1 step 3). */
public final class HistoryMatchWeigher implements HostWeigher {
    static final String TOLERANCE = "tolerance";

    @Override
    public String description() {
        return "Prefers the destination the latest similar history record chose (seed 000 §3.1 step 3)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.number(TOLERANCE, 0.05, 0.0, 1.0,
                "a record is similar when every host it names is within this CPU utilisation of today's"));
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        String destination = match(context.history(), context.cluster(), params.getDouble(TOLERANCE));
        if (destination == null) {
            return host -> 0;
        }
        return host -> host.name().equals(destination) ? 1 : 0;
    }

    /**
     * The destination of the newest similar record, or null; {@code history} is newest first.
     * Records are matched on the load distribution only, not on the VM they moved: the paper keys a
     * record by "the mapping" of loads and reuses its source and destination for whatever VM the
     * trigger picks. A record naming a host the cluster no longer has does not match; hosts the
     * record does not name are not compared.
     */
    static String match(List<HistoryRecord> history, ClusterSnapshot cluster, double tolerance) {
        for (HistoryRecord record : history) {
            if (record.destination() != null && record.similarTo(cluster, tolerance)) {
                return record.destination();
            }
        }
        return null;
    }
}
