package io.placewise.weighers;

import io.placewise.model.HistoryRecord;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import java.util.List;

/** Prefers the destination of the latest history record whose CPU load vector is similar to today's (seed 000 §3.1 step 3). */
public final class HistoryMatchWeigher implements HostWeigher {
    static final String TOLERANCE = HistoryRecord.TOLERANCE;

    @Override
    public String description() {
        return "Prefers the destination the latest similar history record chose (seed 000 §3.1 step 3)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.number(TOLERANCE, HistoryRecord.DEFAULT_TOLERANCE, 0.0, 1.0,
                "a record is similar when every host it names is within this CPU utilisation of today's"));
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        // The balancer's rule too (HistoryRecord.latestSimilar): one tolerance, one notion of "similar".
        String destination = HistoryRecord.latestSimilar(context.history(), context.cluster(), params.getDouble(TOLERANCE))
                .map(HistoryRecord::destination).orElse(null);
        if (destination == null) {
            return host -> 0;
        }
        return host -> host.name().equals(destination) ? 1 : 0;
    }
}
