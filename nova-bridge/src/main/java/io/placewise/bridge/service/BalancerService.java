package io.placewise.bridge.service;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.AuditPlanner;
import io.placewise.balancer.Goal;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.MigrationExecutor;
import io.placewise.balancer.execution.PlanExecutor;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.ha.BalancerLeadership;
import io.placewise.bridge.ha.SharedChange;
import io.placewise.bridge.ha.SharedChanges;
import io.placewise.bridge.store.BalancerRepository;
import io.placewise.bridge.store.BalancerRepository.StepRow;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.bridge.store.JdbcExecutionStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HotspotDetector;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import io.placewise.service.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
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
 * keeps audits and history records, and hands executed and cancelled plans to the {@link PlanExecutor}.
 * The {@link PeriodicBalancer} and the {@link BalloonFollowUp} audit through it.
 *
 * <p>Only the balancer's leader ({@link #lead}) executes plans and runs periodic audits; a standby
 * stores what it is asked to execute or cancel, and the leader takes it up when told
 * ({@link #changedElsewhere}).
 */
public final class BalancerService implements AutoCloseable, BalancerLeadership.Role {
    private final Database db;
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final BalancerConfig config;
    private final BalancerRepository repository = new BalancerRepository();
    private final PlanExecutor executor;
    private final Clock clock;
    private final AtomicReference<List<HistoryRecord>> history;
    private final PeriodicBalancer periodicBalancer;
    private volatile Consumer<StoredAudit> auditListener = a -> { };
    private final JdbcExecutionStore executionStore;
    private final HostSwitching switching;
    private volatile SharedChanges shared = SharedChanges.NONE;
    private volatile boolean leading;
    private java.util.concurrent.ScheduledFuture<?> periodicRun;
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

    /** An audit with what became of its plan: its steps and the hosts it switched on or off. */
    public record AuditView(StoredAudit audit, List<StepRow> rows, List<BalancerRepository.HostSwitch> switches) {
        public List<ExecutionStep> steps() {
            return rows.stream().map(StepRow::step).toList();
        }
    }

    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor migrations) {
        this(db, cluster, policies, config, migrations, new SimpleMeterRegistry());
    }

    /** Hosts are switched on and off in Placewise's view only ({@link HostPower#cluster}). */
    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor migrations, MeterRegistry metrics) {
        this(db, cluster, policies, config, migrations, metrics, HostPower.cluster(cluster));
    }

    /**
     * @param metrics gets {@code placewise_balancer_evaluations_total{goal, outcome}} of the periodic balancer
     * @param power   switches the hosts a plan wakes or frees on and off
     */
    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor migrations, MeterRegistry metrics, HostPower power) {
        this.db = db;
        this.cluster = cluster;
        this.policies = policies;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.history = new AtomicReference<>(db.inTransaction(c -> repository.history(c, config.settings().historySize())));
        this.executionStore = new JdbcExecutionStore(db, repository, config.settings().historySize());
        this.switching = new HostSwitching(db, repository, cluster, power, config.switchOffFreedHosts(), periodic, clock);
        this.executor = new PlanExecutor(executionStore, migrations,
                new LiveClusterView(cluster), config.execution(), new BalancerLog.Steps(history::set,
                        new BalloonFollowUp(this, cluster, config, periodic, clock)::balloonEnded, switching::planEnded), clock);
        this.periodicBalancer = new PeriodicBalancer(this, config, metrics);
    }

    // ---- several bridges: leadership and shared state ----------------------------------------------

    /** This bridge leads the balancer: it executes plans (taking up what is stored) and, when enabled, audits periodically. */
    @Override
    public synchronized void lead() {
        leading = true;
        executor.start();
        if (config.enabled() && periodicRun == null) {
            periodicRun = periodic.scheduleWithFixedDelay(periodicBalancer::evaluate, config.intervalS(), config.intervalS(),
                    TimeUnit.SECONDS);
            BalancerLog.periodicStarted(config);
        }
    }

    /** Another bridge leads now (or this one lost the database): periodic audits and execution stop at once. */
    @Override
    public synchronized void stepDown() {
        leading = false;
        if (periodicRun != null) {
            periodicRun.cancel(true);
            periodicRun = null;
        }
        executor.stop();
    }

    /** {@code leader}, {@code standby} or {@code disabled} ({@code [balancer] enabled = false}): {@code GET /healthz}. */
    public String role() {
        return !config.enabled() ? "disabled" : leading ? "leader" : "standby";
    }

    /** This bridge executes plans (it holds the leadership, whether periodic audits are enabled or not). */
    public boolean executesPlans() {
        return leading && executor.executing();
    }

    /** Asked right before each migration is ordered: false leaves it to the next leader. */
    public void orderOnlyIf(java.util.function.BooleanSupplier stillLeading) {
        executor.orderOnlyIf(stillLeading);
    }

    /** Executed and cancelled plans and new history records are announced to the other bridges from now on. */
    public void shareThrough(SharedChanges changes) {
        this.shared = changes;
        executionStore.shareThrough(changes);
    }

    /** Another bridge stored history records, or executed or cancelled plans ({@code plans} null: any). */
    public void changedElsewhere(SharedChange change) {
        if (change.history()) {
            history.set(db.inTransaction(c -> repository.history(c, config.settings().historySize())));
        }
        if (change.plans() == null || !change.plans().isEmpty()) {
            executor.takeUp(change.plans());
            List<String> ids = change.plans() == null ? executor.executing() ? List.copyOf(executionStore.auditsWithActiveSteps())
                    : List.of() : List.copyOf(change.plans());
            for (String id : ids) {
                if (db.inTransaction(c -> repository.audit(c, id)).map(StoredAudit::cancelled).orElse(false)) {
                    executor.cancel(id);
                }
            }
        }
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
        return HotspotDetector.of(set.settings(HotspotDetector.POLICY).map(PolicySettings::params));
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
            return Optional.of(new AuditView(a.get(), repository.stepsOf(c, id), repository.hostSwitchesOf(c, id)));
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
        // A woken host is on before the first step: a migration to a switched-off host is not started.
        switching.beforeExecute(audit);
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
            shared.announce(c, SharedChange.plan(auditId));
            return null;
        });
        executor.cancel(auditId);
        BalancerLog.cancelled(auditId);
        if (!executor.executing()) {
            awaitLeaderCancelled(auditId);
        }
        return audit(auditId).orElseThrow();
    }

    public List<StepRow> migrations() {
        return db.inTransaction(repository::steps);
    }

    public Optional<StepRow> migration(String id) {
        return db.inTransaction(c -> repository.step(c, id));
    }

    /** On a standby: the leader cancels the queued steps once it hears of it; wait a little for that to answer what is. */
    private void awaitLeaderCancelled(String auditId) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            boolean queued = db.inTransaction(c -> repository.stepsOf(c, auditId)).stream()
                    .anyMatch(r -> r.step().state() == io.placewise.balancer.execution.StepState.QUEUED);
            if (!queued) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- for the periodic balancer and the balloon follow-up -----------------------------------

    /** Plans {@code goal} on the live cluster, with what execution rules out. */
    AuditOutcome planLive(Goal goal, Set<String> noBalloonHosts) {
        return plan(goal, cluster.current(), false, noBalloonHosts);
    }

    /** Stores an audit decided by the bridge itself ({@code kind}: periodic, follow-up). */
    StoredAudit storeOwn(AuditOutcome out, boolean dryRun, String followUpOf, String kind) {
        return store(out, dryRun, false, followUpOf, kind);
    }

    boolean planRunning() {
        return executor.hasWorkInProgress();
    }

    HotspotDetector detector() {
        return detector(policies.current());
    }

    /** Adds {@code entries} to a finished step's result ({@code GET /v1/migrations/{id}}). */
    void annotate(ExecutionStep step, Map<String, Object> entries) {
        Map<String, Object> r = new java.util.LinkedHashMap<>(step.result());
        r.putAll(entries);
        db.inTransaction(c -> {
            repository.updateStep(c, step.withResult(r));
            return null;
        });
    }

    @Override
    public void close() {
        leading = false;
        periodic.shutdownNow();
        executor.close();
    }
}
