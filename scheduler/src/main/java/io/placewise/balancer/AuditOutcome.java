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
 * @param freedHosts      hosts the plan empties and switches off (consolidation), in the order freed
 * @param wokenHosts      switched-off hosts the plan switches on again because a hotspot needs them
 */
public record AuditOutcome(Goal goal, boolean triggered, double cAvg, double cM, double threshold,
                           List<HotspotDetector.Judgement> hotspots, Long historyRecordId, List<PlannedMove> plan,
                           Map<String, Double> projected, double projectedCm, List<String> notes, double decisionMs,
                           List<String> freedHosts, List<String> wokenHosts) {
    public AuditOutcome {
        hotspots = List.copyOf(hotspots);
        plan = List.copyOf(plan);
        notes = List.copyOf(notes);
        freedHosts = List.copyOf(freedHosts);
        wokenHosts = List.copyOf(wokenHosts);
    }

    /** An outcome that frees and wakes no host (the balance and hotspot goals). */
    public AuditOutcome(Goal goal, boolean triggered, double cAvg, double cM, double threshold,
                        List<HotspotDetector.Judgement> hotspots, Long historyRecordId, List<PlannedMove> plan,
                        Map<String, Double> projected, double projectedCm, List<String> notes, double decisionMs) {
        this(goal, triggered, cAvg, cM, threshold, hotspots, historyRecordId, plan, projected, projectedCm, notes,
                decisionMs, List.of(), List.of());
    }
}
