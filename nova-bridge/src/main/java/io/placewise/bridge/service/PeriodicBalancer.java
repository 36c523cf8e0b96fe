package io.placewise.bridge.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.Goal;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The periodic balancer ({@code [balancer] enabled}, {@code interval_s}, {@code auto_execute}): hotspots
 * first, then imbalance; it acts only on a trigger that held in {@code trigger_after} consecutive
 * evaluations, so a guest's boot spike seen once moves nothing. Nothing is evaluated while a plan's step
 * is queued or running. Each evaluation is counted in {@code placewise_balancer_evaluations_total}.
 */
final class PeriodicBalancer {
    private final BalancerService balancer;
    private final BalancerConfig config;
    private final MeterRegistry metrics;
    /** Consecutive evaluations each goal's trigger held; kept in memory (a restart starts again). */
    private final Map<Goal, Integer> streaks = new EnumMap<>(Goal.class);

    PeriodicBalancer(BalancerService balancer, BalancerConfig config, MeterRegistry metrics) {
        this.balancer = balancer;
        this.config = config;
        this.metrics = metrics;
    }

    /** One evaluation (on the balancer's single scheduler thread). */
    void evaluate() {
        try {
            if (balancer.planRunning()) {
                BalancerLog.periodicSkipped();
                count(null, "skipped_plan_running");
                return;
            }
            // Hotspots first: an overloaded host hurts now, an imbalance only wastes capacity.
            for (Goal goal : List.of(Goal.HOTSPOT, Goal.BALANCE)) {
                AuditOutcome out = balancer.planLive(goal, Set.of());
                if (!out.triggered() || out.plan().isEmpty()) {
                    streaks.remove(goal);
                    count(goal, "quiet");
                    continue;
                }
                int streak = streaks.merge(goal, 1, Integer::sum);
                if (streak < config.triggerAfter()) {
                    BalancerLog.periodicWaiting(out, streak, config.triggerAfter());
                    count(goal, "waiting");
                    continue;
                }
                streaks.remove(goal);
                count(goal, "acted");
                StoredAudit audit = balancer.storeOwn(out, !config.autoExecute(), null, "periodic");
                if (config.autoExecute()) {
                    balancer.execute(audit.id());
                    return;
                }
            }
        } catch (RuntimeException e) {
            BalancerLog.periodicFailed(e);
        }
    }

    /** One periodic evaluation: quiet (no trigger), waiting (for trigger_after), acted, or skipped. */
    private void count(Goal goal, String outcome) {
        metrics.counter("placewise.balancer.evaluations", "goal", goal == null ? "any" : goal.wireName(), "outcome", outcome)
                .increment();
    }
}
