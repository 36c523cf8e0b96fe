package io.placewise.bridge.service;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.PlannedMove;
import io.placewise.balancer.execution.ExecutionListener;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.bridge.http.LogSafe;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.model.HistoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer's log lines an operator follows: one INFO line per audit (goal, triggered, plan size), one
 * per step state change, and what the periodic balancer and the balloon follow-up decided. Names from
 * requests go through {@link LogSafe}.
 */
final class BalancerLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.placewise.bridge.balancer");

    private BalancerLog() {
    }

    /** Request text (names, errors that quote them) made safe for one line. */
    static String safe(Object o) {
        return LogSafe.of(String.valueOf(o));
    }

    static void audit(String kind, StoredAudit a) {
        AuditOutcome o = a.outcome();
        LOG.info("audit {} ({}{}{}): goal={} triggered={} plan={} step(s) c_m={} hotspots={} history_record={} decision_ms={}",
                a.id(), kind, a.whatIf() ? ", what-if" : "", a.dryRun() || a.whatIf() ? ", dry run" : ", executing",
                o.goal().wireName(), o.triggered(), o.plan().size(), String.format(Locale.ROOT, "%.3f", o.cM()),
                safe(o.hotspots().stream().map(j -> j.host()).toList()),
                o.historyRecordId() == null ? "-" : o.historyRecordId(), String.format(Locale.ROOT, "%.2f", o.decisionMs()));
    }

    static void hostSwitched(String auditId, String host, boolean on, RuntimeException failure) {
        if (failure == null) {
            LOG.info("audit {}: host {} switched {}", auditId, safe(host), on ? "on" : "off");
        } else {
            LOG.warn("audit {}: host {} could not be switched {}: {}", auditId, safe(host), on ? "on" : "off",
                    safe(String.valueOf(failure.getMessage())));
        }
    }

    static void cancelled(String auditId) {
        LOG.info("audit {}: cancelled by the operator; steps not started will not run", auditId);
    }

    static void periodicStarted(BalancerConfig c) {
        LOG.info("periodic balancer every {} s, auto_execute = {}, trigger_after = {}", c.intervalS(), c.autoExecute(),
                c.triggerAfter());
    }

    static void periodicSkipped() {
        LOG.debug("periodic balancer: a plan is executing; this evaluation is skipped");
    }

    static void periodicWaiting(AuditOutcome out, int streak, int needed) {
        LOG.info("periodic balancer: {} trigger holds ({} of {} consecutive evaluations needed; plan of {} step(s) not "
                + "acted on yet)", out.goal().wireName(), streak, needed, out.plan().size());
    }

    static void periodicFailed(RuntimeException e) {
        LOG.warn("balancer run failed: {}", safe(e.toString()));
    }

    static void noFreshSample(ExecutionStep step, String host, Instant giveUp) {
        LOG.warn("audit {}: no sample of {} arrived by {} after the balloon step of {}; the host is not judged again "
                + "(the next audit will)", step.auditId(), safe(host), giveUp, safe(step.move().vm()));
    }

    static void rejudged(ExecutionStep step, String host, boolean ballooned, String followUp) {
        if (followUp == null) {
            LOG.info("audit {}: {} is no longer a hotspot after the balloon step of {}{}; nothing to migrate",
                    step.auditId(), safe(host), safe(step.move().vm()), ballooned ? "" : " (step not carried out)");
        } else {
            LOG.info("audit {}: {} is still a hotspot after the balloon step of {}{}; follow-up audit {}", step.auditId(),
                    safe(host), safe(step.move().vm()), ballooned ? "" : " (step not carried out)", followUp);
        }
    }

    static String describe(ExecutionStep s) {
        PlannedMove m = s.move();
        return "step " + s.order() + " (" + m.action().wireName() + " " + safe(m.vm()) + " " + safe(m.source())
                + (m.action() == PlannedMove.Action.MIGRATE ? " -> " + safe(m.destination()) : " +" + m.amountMb() + " MiB")
                + ")";
    }

    private static String state(ExecutionStep s) {
        return s.state().wireName() + (s.reconciling() ? " (outcome unknown, reconciling)" : "");
    }

    /** The plan executor's listener: a line per state change, the history cache, the balloon follow-up. */
    static final class Steps implements ExecutionListener {
        private final Consumer<List<HistoryRecord>> history;
        private final Consumer<ExecutionStep> balloonEnded;
        private final Consumer<String> planEnded;

        Steps(Consumer<List<HistoryRecord>> history, Consumer<ExecutionStep> balloonEnded, Consumer<String> planEnded) {
            this.history = history;
            this.balloonEnded = balloonEnded;
            this.planEnded = planEnded;
        }

        @Override
        public void planEnded(String auditId, List<ExecutionStep> steps) {
            planEnded.accept(auditId);
        }

        @Override
        public void stepChanged(ExecutionStep before, ExecutionStep after) {
            if (before != null && before.state() == after.state() && before.reconciling() == after.reconciling()) {
                if (after.remoteId() != null && !after.remoteId().equals(before.remoteId())) {
                    LOG.debug("audit {} {}: executor handle {}", after.auditId(), describe(after), safe(after.remoteId()));
                }
                return;
            }
            String strategy = after.ordered() == null ? "" : " strategy=" + after.ordered().wireName();
            String why = after.error() == null ? "" : ": " + safe(after.error());
            Object note = after.result().get("note");
            LOG.info("audit {} {}: {} -> {} [migration {}{}]{}{}", after.auditId(), describe(after),
                    before == null ? "new" : state(before), state(after), after.id(),
                    after.state().started() && before != null && !before.state().started() ? strategy : "", why,
                    note == null ? "" : " (" + safe(note) + ")");
        }

        @Override
        public void historyChanged(List<HistoryRecord> newestFirst) {
            history.accept(newestFirst);
        }

        @Override
        public void balloonEnded(ExecutionStep step) {
            balloonEnded.accept(step);
        }

        @Override
        public void unanswered(ExecutionStep step, String why) {
            LOG.warn("audit {} {}: no answer ({}); asking again for up to agent_unreachable_grace_s", step.auditId(),
                    describe(step), safe(why));
        }

        @Override
        public void problem(String what, RuntimeException e) {
            LOG.warn("plan execution: {} failed: {}; trying again", safe(what), safe(e.toString()));
        }
    }
}
