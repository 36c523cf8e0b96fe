package io.placewise.balancer;

import io.placewise.model.HotspotDetector;
import java.util.List;
import java.util.Map;

/**
 * What one audit found and proposes: the imbalance measure, the hotspots, whether it triggered, the
 * ordered plan, the projected CPU utilisation per host after it, and how long deciding took.
 *
 * @param historyRecordId the history record the plan reused (seed 000 §3.1 step 3), or null
 * @param notes           why the plan stopped short, when it did
 */
public record AuditOutcome(Goal goal, boolean triggered, double cAvg, double cM, double threshold,
                           List<HotspotDetector.Judgement> hotspots, Long historyRecordId, List<PlannedMove> plan,
                           Map<String, Double> projected, double projectedCm, List<String> notes, double decisionMs) {
    public AuditOutcome {
        hotspots = List.copyOf(hotspots);
        plan = List.copyOf(plan);
        notes = List.copyOf(notes);
    }
}
