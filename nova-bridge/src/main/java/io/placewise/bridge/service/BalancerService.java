package io.placewise.bridge.service;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.AuditPlanner;
import io.placewise.balancer.Goal;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.MigrationExecutor;
import io.placewise.balancer.execution.PlanExecutor;
import io.placewise.balancer.execution.StepState;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.store.BalancerRepository;
import io.placewise.bridge.store.BalancerRepository.StepRow;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.bridge.store.JdbcExecutionStore;
import io.placewise.filters.HotspotFilter;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import io.placewise.scheduler.PolicySet;
import io.placewise.service.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The balancer: audits the live (or an inline what-if) cluster with the core's {@link AuditPlanner},
 * keeps audits and history records, hands executed plans to the {@link PlanExecutor}, runs the periodic
 * balancer (acting only once its trigger held {@code trigger_after} evaluations in a row), and judges a
 * host again after a balloon step before migrating from it (seed 004 §3.3).
 */
public final class BalancerService implements AutoCloseable {
    private final Database db;
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final BalancerConfig config;
    private final BalancerRepository repository = new BalancerRepository();
    private final PlanExecutor executor;
    private final Clock clock;
    private final AtomicReference<List<HistoryRecord>> history;
    private final Map<Goal, Integer> streaks = new EnumMap<>(Goal.class);
    private final MeterRegistry metrics;
    private volatile Consumer<StoredAudit> auditListener = a -> { };
    private final ScheduledExecutorService periodic = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "placewise-balancer");
        t.setDaemon(true);
        return t;
    });

    /** No audit has this id. */
    public static final class NoSuchAudit extends RuntimeException {
        public NoSuchAudit(String id) {
            super("no audit with id '" + id + "'");
        }
    }

    /** The audit cannot be executed or cancelled in its state; the message says why. */
    public static final class NotPossible extends RuntimeException {
        public NotPossible(String message) {
            super(message);
        }
    }

    /** An audit with what became of its plan. */
    public record AuditView(StoredAudit audit, List<StepRow> rows) {
        public List<ExecutionStep> steps() {
            return rows.stream().map(StepRow::step).toList();
        }
    }

    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor migrations) {
        this(db, cluster, policies, config, migrations, new SimpleMeterRegistry());
    }

    /** @param metrics gets {@code placewise_balancer_evaluations_total{goal, outcome}} of the periodic balancer */
    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor migrations, MeterRegistry metrics) {
        this.metrics = metrics;
        this.db = db;
        this.cluster = cluster;
        this.policies = policies;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.history = new AtomicReference<>(db.inTransaction(c -> repository.history(c, config.settings().historySize())));
        this.executor = new PlanExecutor(new JdbcExecutionStore(db, repository, config.settings().historySize()), migrations,
                new LiveClusterView(cluster), config.execution(), new BalancerLog.Steps(history::set, this::balloonEnded),
                clock);
        executor.start();
    }

    public BalancerConfig config() {
        return config;
    }

    /** Told of every audit stored, periodic and follow-up ones included (the console's metrics). */
    public void onAudit(Consumer<StoredAudit> listener) {
        this.auditListener = listener;
    }

    /** The history records, newest first (also fed to the placement pipeline). */
    public List<HistoryRecord> history() {
        return history.get();
    }

    // ---- audits --------------------------------------------------------------------------------

    /**
     * Audits the live cluster, or {@code whatIf} when given (then nothing live is used or changed and the
     * audit cannot be executed). {@code dryRun = false} on the live cluster executes the plan at once.
     */
    public AuditView audit(Goal goal, boolean dryRun, ClusterSnapshot whatIf) {
        boolean isWhatIf = whatIf != null;
        AuditOutcome out = plan(goal, isWhatIf ? whatIf : cluster.current(), isWhatIf, Set.of());
        StoredAudit audit = store(out, dryRun, isWhatIf, null, "one-off");
        if (!dryRun && !isWhatIf && !out.plan().isEmpty()) {
            execute(audit.id());
        }
        return audit(audit.id()).orElseThrow();
    }

    private AuditOutcome plan(Goal goal, ClusterSnapshot snapshot, boolean whatIf, Set<String> noBalloonHosts) {
        PolicySet set = policies.current();
        AuditPlanner planner = new AuditPlanner(config.settings(), detector(set));
        if (whatIf) {
            return planner.audit(goal, snapshot, set, history.get(), Set.of());
        }
        return planner.audit(goal, snapshot, set, history.get(), executor.busyHosts(), executor.pinnedVms(), noBalloonHosts);
    }

    /** The same hotspot rule and thresholds as the HotspotFilter (operators change them in one place). */
    private static HotspotDetector detector(PolicySet set) {
        return set.settings("HotspotFilter").map(s -> HotspotFilter.detector(s.params())).orElse(HotspotDetector.DEFAULT);
    }

    private StoredAudit store(AuditOutcome out, boolean dryRun, boolean whatIf, String followUpOf, String kind) {
        StoredAudit audit = new StoredAudit(UUID.randomUUID().toString(), clock.instant(), out, dryRun, whatIf, false, null,
                followUpOf);
        db.inTransaction(c -> {
            repository.insertAudit(c, audit);
            return null;
        });
        BalancerLog.audit(kind, audit);
        auditListener.accept(audit);
        return audit;
    }

    /** The newest {@code limit} audits, newest first, with what became of their plans. */
    public List<BalancerRepository.AuditSummary> audits(int limit) {
        return db.inTransaction(c -> repository.audits(c, limit));
    }

    public Optional<AuditView> audit(String id) {
        return db.inTransaction(c -> {
            Optional<StoredAudit> a = repository.audit(c, id);
            if (a.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new AuditView(a.get(), repository.stepsOf(c, id)));
        });
    }

    private StoredAudit stored(String id) {
        return db.inTransaction(c -> repository.audit(c, id)).orElseThrow(() -> new NoSuchAudit(id));
    }

    /**
     * Executes the audit's plan: every step is stored {@code queued} and started as the limits allow.
     *
     * @throws NoSuchAudit  for an unknown id
     * @throws NotPossible  for a what-if audit, an empty plan, or one already executed or cancelled
     */
    public AuditView execute(String auditId) {
        StoredAudit audit = stored(auditId);
        if (audit.whatIf()) {
            throw new NotPossible("audit " + auditId + " ran on an inline what-if cluster; it cannot be executed");
        }
        if (audit.cancelled()) {
            throw new NotPossible("audit " + auditId + " was cancelled; it cannot be executed");
        }
        if (audit.executed()) {
            throw new NotPossible("audit " + auditId + " was already executed; see its execution in GET /v1/audits/"
                    + auditId);
        }
        if (audit.outcome().plan().isEmpty()) {
            throw new NotPossible("audit " + auditId + " planned nothing to execute");
        }
        if (executor.execute(auditId, audit.outcome().plan()).isEmpty()) {
            throw new NotPossible("audit " + auditId + " was executed or cancelled meanwhile");
        }
        return audit(auditId).orElseThrow();
    }

    /**
     * Cancels the plan's steps that have not started (running ones go on); an audit not executed yet
     * will not be. Cancelling again, or a plan that is over, changes nothing and answers what is.
     *
     * @throws NoSuchAudit  for an unknown id
     * @throws NotPossible  for a what-if audit (it never runs)
     */
    public AuditView cancel(String auditId) {
        StoredAudit audit = stored(auditId);
        if (audit.whatIf()) {
            throw new NotPossible("audit " + auditId + " ran on an inline what-if cluster; there is nothing to cancel");
        }
        AuditView now = audit(auditId).orElseThrow();
        boolean over = audit.executed() && now.steps().stream().allMatch(s -> s.state().terminal());
        if (audit.cancelled() || over) {
            return now;
        }
        // Marked first: an execute racing this one is then refused, or its steps are cancelled below.
        db.inTransaction(c -> {
            repository.markCancelled(c, auditId, clock.instant());
            return null;
        });
        executor.cancel(auditId);
        BalancerLog.cancelled(auditId);
        return audit(auditId).orElseThrow();
    }

    public List<StepRow> migrations() {
        return db.inTransaction(repository::steps);
    }

    public Optional<StepRow> migration(String id) {
        return db.inTransaction(c -> repository.step(c, id));
    }

    // ---- the periodic balancer -----------------------------------------------------------------

    /** Starts the periodic balancer when {@code [balancer] enabled}. */
    public void startPeriodic() {
        if (!config.enabled()) {
            return;
        }
        periodic.scheduleWithFixedDelay(this::periodicRun, config.intervalS(), config.intervalS(), TimeUnit.SECONDS);
        BalancerLog.periodicStarted(config);
    }

    /** One evaluation; {@code trigger_after} consecutive ones with the trigger holding make it act. */
    void periodicRun() {
        try {
            if (executor.hasWorkInProgress()) {
                BalancerLog.periodicSkipped();
                count(null, "skipped_plan_running");
                return;
            }
            // Hotspots first: an overloaded host hurts now, an imbalance only wastes capacity.
            for (Goal goal : List.of(Goal.HOTSPOT, Goal.BALANCE)) {
                AuditOutcome out = plan(goal, cluster.current(), false, Set.of());
                boolean holds = out.triggered() && !out.plan().isEmpty();
                int streak = holds ? streaks.merge(goal, 1, Integer::sum) : 0;
                if (!holds) {
                    streaks.remove(goal);
                    count(goal, "quiet");
                    continue;
                }
                if (streak < config.triggerAfter()) {
                    BalancerLog.periodicWaiting(out, streak, config.triggerAfter());
                    count(goal, "waiting");
                    continue;
                }
                streaks.remove(goal);
                count(goal, "acted");
                StoredAudit audit = store(out, !config.autoExecute(), false, null, "periodic");
                if (config.autoExecute()) {
                    execute(audit.id());
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

    // ---- after a balloon step ------------------------------------------------------------------

    /**
     * Seed 004 §3.3: migrate only if the balloon step did not stop the swapping. A completed step is
     * judged on the first sample of its host taken {@code balloon_settle_s} after it; a step that could
     * not be carried out is judged at once, and the follow-up audit then migrates instead.
     */
    private void balloonEnded(ExecutionStep step) {
        String host = step.move().source();
        if (step.state() != StepState.COMPLETED) {
            periodic.execute(() -> rejudge(step, host, false));
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
                periodic.schedule(check[0], every, TimeUnit.MILLISECONDS);
            }
        };
        periodic.schedule(check[0], every, TimeUnit.MILLISECONDS);
    }

    private void rejudge(ExecutionStep step, String hostName, boolean ballooned) {
        try {
            ClusterSnapshot live = cluster.current();
            Host host = live.host(hostName);
            if (host == null) {
                return;
            }
            HotspotDetector.Judgement j = detector(policies.current()).judge(host, live.samples(hostName));
            if (!j.isHotspot()) {
                BalancerLog.rejudged(step, hostName, ballooned, null);
                annotate(step, hostName + " is no longer a hotspot" + sampleTime(live, hostName) + "; nothing to migrate", null);
                return;
            }
            AuditOutcome out = plan(Goal.HOTSPOT, live, false, Set.of(hostName));
            List<String> notes = new ArrayList<>(out.notes());
            notes.add(0, "follow-up of audit " + step.auditId() + ": " + hostName + " is still a hotspot ("
                    + j.reason() + ") after the balloon step of " + step.move().vm()
                    + (ballooned ? "" : " could not be carried out") + "; migrating instead (seed 004 §3.3)");
            AuditOutcome followUp = new AuditOutcome(out.goal(), out.triggered(), out.cAvg(), out.cM(), out.threshold(),
                    out.hotspots(), out.historyRecordId(), out.plan(), out.projected(), out.projectedCm(), notes,
                    out.decisionMs());
            StoredAudit audit = store(followUp, false, false, step.auditId(), "follow-up");
            BalancerLog.rejudged(step, hostName, ballooned, audit.id());
            annotate(step, hostName + " is still a hotspot" + sampleTime(live, hostName) + " (" + j.reason() + ")", audit.id());
            if (!followUp.plan().isEmpty()) {
                execute(audit.id());
            }
        } catch (RuntimeException e) {
            BalancerLog.periodicFailed(e);
        }
    }

    private static String sampleTime(ClusterSnapshot live, String host) {
        List<LoadSample> samples = live.samples(host);
        return samples.isEmpty() ? "" : " on its sample of " + samples.get(samples.size() - 1).at();
    }

    /** What the re-judgement found, kept on the balloon step ({@code GET /v1/migrations/{id}}). */
    private void annotate(ExecutionStep step, String rejudged, String followUpAudit) {
        Map<String, Object> r = new java.util.LinkedHashMap<>(step.result());
        r.put("rejudged", rejudged);
        if (followUpAudit != null) {
            r.put("follow_up_audit", followUpAudit);
        }
        db.inTransaction(c -> {
            repository.updateStep(c, step.withResult(r));
            return null;
        });
    }

    @Override
    public void close() {
        periodic.shutdownNow();
        executor.close();
    }
}
