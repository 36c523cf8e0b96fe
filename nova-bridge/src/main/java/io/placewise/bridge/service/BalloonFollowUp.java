package io.placewise.bridge.service;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.Goal;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.StepState;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Seed 004 §3.3: after a balloon step, migrate only if it did not stop the swapping. A completed step's
 * host is judged again on its first sample taken {@code balloon_settle_s} after it; a step that could not
 * be carried out is judged at once. Still a hotspot: a follow-up hotspot audit, with no second balloon
 * step for that host, is planned and executed. What was found is kept on the balloon step's result.
 */
final class BalloonFollowUp {
    private final BalancerService balancer;
    private final ClusterStore cluster;
    private final BalancerConfig config;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    BalloonFollowUp(BalancerService balancer, ClusterStore cluster, BalancerConfig config, ScheduledExecutorService scheduler,
                    Clock clock) {
        this.balancer = balancer;
        this.cluster = cluster;
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    void balloonEnded(ExecutionStep step) {
        String host = step.move().source();
        if (step.state() != StepState.COMPLETED) {
            scheduler.execute(() -> rejudge(step, host, false));
            return;
        }
        Instant after = step.endedAt().plusSeconds(config.balloonSettleS());
        Instant giveUp = after.plus(Duration.ofSeconds(Math.max(60, 3L * config.balloonSettleS())));
        long every = Math.max(100, Math.min(5000, config.pollIntervalMs()));
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            List<LoadSample> samples = cluster.current().samples(host);
            boolean fresh = !samples.isEmpty() && !samples.get(samples.size() - 1).at().isBefore(after);
            if (fresh) {
                rejudge(step, host, true);
            } else if (clock.instant().isAfter(giveUp)) {
                BalancerLog.noFreshSample(step, host, giveUp);
                annotate(step, "no sample of " + host + " by " + giveUp + "; not judged again (the next audit will)", null);
            } else {
                scheduler.schedule(check[0], every, TimeUnit.MILLISECONDS);
            }
        };
        scheduler.schedule(check[0], every, TimeUnit.MILLISECONDS);
    }

    private void rejudge(ExecutionStep step, String hostName, boolean ballooned) {
        try {
            ClusterSnapshot live = cluster.current();
            Host host = live.host(hostName);
            if (host == null) {
                return;
            }
            HotspotDetector.Judgement j = balancer.detector().judge(host, live.samples(hostName));
            if (!j.isHotspot()) {
                BalancerLog.rejudged(step, hostName, ballooned, null);
                annotate(step, hostName + " is no longer a hotspot" + sampleTime(live, hostName) + "; nothing to migrate", null);
                return;
            }
            AuditOutcome out = balancer.planLive(Goal.HOTSPOT, Set.of(hostName));
            List<String> notes = new ArrayList<>(out.notes());
            notes.add(0, "follow-up of audit " + step.auditId() + ": " + hostName + " is still a hotspot ("
                    + j.reason() + ") after the balloon step of " + step.move().vm()
                    + (ballooned ? "" : " could not be carried out") + "; migrating instead (seed 004 §3.3)");
            AuditOutcome followUp = new AuditOutcome(out.goal(), out.triggered(), out.cAvg(), out.cM(), out.threshold(),
                    out.hotspots(), out.historyRecordId(), out.plan(), out.projected(), out.projectedCm(), notes,
                    out.decisionMs(), out.freedHosts(), out.wokenHosts());
            StoredAudit audit = balancer.storeOwn(followUp, false, step.auditId(), "follow-up");
            BalancerLog.rejudged(step, hostName, ballooned, audit.id());
            annotate(step, hostName + " is still a hotspot" + sampleTime(live, hostName) + " (" + j.reason() + ")", audit.id());
            if (!followUp.plan().isEmpty()) {
                balancer.execute(audit.id());
            }
        } catch (RuntimeException e) {
            BalancerLog.periodicFailed(e);
        }
    }

    private static String sampleTime(ClusterSnapshot live, String host) {
        List<LoadSample> samples = live.samples(host);
        return samples.isEmpty() ? "" : " on its sample of " + samples.get(samples.size() - 1).at();
    }

    private void annotate(ExecutionStep step, String rejudged, String followUpAudit) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rejudged", rejudged);
        if (followUpAudit != null) {
            r.put("follow_up_audit", followUpAudit);
        }
        balancer.annotate(step, r);
    }
}
