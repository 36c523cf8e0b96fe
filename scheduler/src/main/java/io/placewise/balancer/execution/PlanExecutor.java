package io.placewise.balancer.execution;

import io.placewise.balancer.PlannedMove;
import io.placewise.balancer.SlowingTolerance;
import io.placewise.balancer.execution.MigrationExecutor.ExecutorException;
import io.placewise.balancer.execution.MigrationExecutor.Order;
import io.placewise.balancer.execution.MigrationExecutor.RemoteState;
import io.placewise.balancer.execution.MigrationExecutor.Status;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Vm;
import io.placewise.precopy.MigrationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes audits' plans as tracked objects (Watcher's action plan): every step is stored as it changes,
 * so a restarted bridge picks up what was running and asks the executor what became of it.
 *
 * <p>Rules, in the order they are applied to a queued step:
 * <ul>
 *   <li>Steps that share a host start in plan order (seed 002 §3.3–3.4); steps on other hosts may run
 *       beside them, within {@code max_parallel_per_host} and the cluster's {@code max_parallel}.</li>
 *   <li>A step whose VM is no longer on its source, whose destination is gone or disabled, or whose VM
 *       migrated within {@code vm_cooldown_s} is skipped; so is a migration beyond
 *       {@code max_moves_per_hour}.</li>
 *   <li>The first step that fails or is aborted stops the plan: steps not started are skipped (they
 *       were planned on a cluster in which it had happened).</li>
 *   <li>An executor that does not answer is asked again until {@code agent_unreachable_grace_s}; then
 *       the step shows failed with its outcome unknown, keeps its hosts, and is still asked: if the
 *       migration did complete, the step is corrected and its history record written then.</li>
 *   <li>A migration still running after the executor's timeout is aborted (the VM stays on its source).</li>
 * </ul>
 *
 * <p>Several bridges on one database run one executor each, but only the balancer's leader executes
 * ({@link #start}); the others only store plans as queued ({@link #execute} while not leading) for the
 * leader to take up ({@link #takeUp}). A leader that steps down ({@link #stop}) leaves its steps as they
 * are stored; the next leader's {@link #start} follows them (asking the executor, never ordering again a
 * step that was started). Before ordering a migration the executor re-reads the stored step and asks
 * {@link #orderOnlyIf the leadership check}: a step another leader took up is not ordered twice.
 */
public final class PlanExecutor implements AutoCloseable {
    /** A restarted bridge looks for an order it lost the handle of from a little before the step started. */
    static final Duration FIND_SLACK = Duration.ofMinutes(1);
    /** Reconciling steps are asked at most this far apart. */
    static final Duration MAX_RECONCILE_INTERVAL = Duration.ofSeconds(30);

    private final ExecutionStore store;
    private final MigrationExecutor executor;
    private final LiveCluster cluster;
    private final ExecutionSettings settings;
    private final ExecutionListener listener;
    private final Clock clock;
    private volatile boolean closing;
    /** The current leadership term (null while not executing); its threads stop when it is over. */
    private volatile Term term;
    private static final ThreadLocal<Term> WORKER_TERM = new ThreadLocal<>();
    private volatile java.util.function.BooleanSupplier mayOrder = () -> true;

    /** One stretch of leadership: its dispatcher and step threads. */
    private static final class Term {
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("placewise-plan-dispatch"));
        final ExecutorService workers = Executors.newCachedThreadPool(daemon("placewise-plan-step"));
        volatile boolean over;
    }

    /** The plans with an active step, oldest first; guarded by {@code this}. */
    private final Map<String, Plan> plans = new LinkedHashMap<>();

    private static final class Plan {
        final String auditId;
        final List<ExecutionStep> steps;
        /** Why its queued steps are not started any more; null while it runs normally. */
        String stopReason;

        Plan(String auditId, List<ExecutionStep> steps) {
            this.auditId = auditId;
            this.steps = new ArrayList<>(steps);
        }
    }

    public PlanExecutor(ExecutionStore store, MigrationExecutor executor, LiveCluster cluster, ExecutionSettings settings,
                        ExecutionListener listener, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.cluster = cluster;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public ExecutionSettings settings() {
        return settings;
    }

    public MigrationExecutor executor() {
        return executor;
    }

    /**
     * Starts executing (the bridge is the balancer's leader): takes up what the last run or the last
     * leader left (running steps are asked of their executor, steps being reconciled are asked again,
     * queued steps wait for their turn), then dispatches. Does nothing while already executing.
     */
    public void start() {
        Term t;
        synchronized (this) {
            if (closing || term != null) {
                return;
            }
            t = new Term();
            term = t;
        }
        takeUp(null);
        long tickMs = Math.max(100, Math.min(1000, executor.pollInterval().toMillis()));
        t.ticker.scheduleWithFixedDelay(this::dispatchQuietly, 0, tickMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops executing (the bridge stepped down): dispatching and following steps stop at once, steps stay
     * as they are stored for the next leader. {@link #start} may be called again.
     */
    public void stop() {
        Term t;
        synchronized (this) {
            t = term;
            if (t == null) {
                return;
            }
            t.over = true;
            term = null;
            plans.clear();
        }
        t.ticker.shutdownNow();
        t.workers.shutdownNow();
        try {
            t.workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while this executor executes plans (between {@link #start} and {@link #stop}). */
    public boolean executing() {
        return term != null && !closing;
    }

    /**
     * Asked right before a migration is ordered (e.g. "this bridge still holds the balancer's leadership");
     * false: the order is not sent and the step is left as stored for the next leader.
     */
    public void orderOnlyIf(java.util.function.BooleanSupplier check) {
        this.mayOrder = check;
    }

    /**
     * Takes up plans with active steps found in the store that this executor does not know yet
     * ({@code auditIds}: only those; null: all), e.g. plans another bridge stored while not leading.
     * Does nothing while not executing.
     */
    public void takeUp(java.util.Collection<String> auditIds) {
        List<ExecutionStep> follow = new ArrayList<>();
        Term t;
        synchronized (this) {
            t = term;
            if (t == null || closing) {
                return;
            }
            for (String auditId : store.auditsWithActiveSteps()) {
                if (plans.containsKey(auditId) || (auditIds != null && !auditIds.contains(auditId))) {
                    continue;
                }
                Plan plan = new Plan(auditId, store.stepsOf(auditId));
                plans.put(auditId, plan);
                for (ExecutionStep s : plan.steps) {
                    if ((s.state() == StepState.FAILED || s.state() == StepState.ABORTED) && plan.stopReason == null) {
                        plan.stopReason = "step " + s.order() + " (" + s.move().vm() + ") " + s.state().wireName()
                                + (s.error() == null ? "" : ": " + s.error());
                    }
                    if (s.state() == StepState.RUNNING || s.reconciling()) {
                        follow.add(s);
                    }
                }
            }
        }
        follow.forEach(s -> submit(t, () -> guarded(s.auditId(), s.id(), true)));
    }

    private static void submit(Term t, Runnable work) {
        t.workers.submit(() -> {
            WORKER_TERM.set(t);
            try {
                work.run();
            } finally {
                WORKER_TERM.remove();
            }
        });
    }

    /** The calling thread may go on: not closing, and its term (a step thread's, else the current one) not over. */
    private boolean live() {
        if (closing) {
            return false;
        }
        Term mine = WORKER_TERM.get();
        return mine != null ? !mine.over : term != null;
    }

    /**
     * Starts executing {@code plan}: every step is stored {@code queued}, then they start as the rules allow.
     *
     * @return the queued steps, or empty when the audit was already executed or cancelled (nothing stored)
     */
    public Optional<List<ExecutionStep>> execute(String auditId, List<PlannedMove> plan) {
        if (closing) {
            throw new IllegalStateException("the plan executor is stopping");
        }
        Instant now = clock.instant();
        List<ExecutionStep> steps = new ArrayList<>();
        for (PlannedMove m : plan) {
            steps.add(ExecutionStep.queued(UUID.randomUUID().toString(), auditId, m, ordered(m), now));
        }
        synchronized (this) {
            if (!store.begin(auditId, steps)) {
                return Optional.empty();
            }
            if (term == null) {
                // Not the leader: the steps are stored queued, the leader takes them up.
                steps.forEach(s -> listener.stepChanged(null, s));
                return Optional.of(List.copyOf(steps));
            }
            plans.put(auditId, new Plan(auditId, steps));
            steps.forEach(s -> listener.stepChanged(null, s));
            // The steps are stored: whatever goes wrong now, the ticker dispatches them again.
            dispatchQuietly();
            return Optional.of(List.copyOf(plans.containsKey(auditId) ? plans.get(auditId).steps : store.stepsOf(auditId)));
        }
    }

    /** What is ordered for a planned move: {@code auto} unless {@code [balancer] strategy = planned}. */
    private MigrationStrategy ordered(PlannedMove m) {
        if (m.action() != PlannedMove.Action.MIGRATE) {
            return null;
        }
        return settings.strategy() == ExecutionSettings.StrategyChoice.PLANNED && m.strategy() != null
                ? m.strategy() : MigrationStrategy.AUTO;
    }

    /**
     * Cancels the steps of the audit's plan that have not started; running ones go on.
     *
     * @return the steps cancelled now (empty when none was waiting)
     */
    public synchronized List<ExecutionStep> cancel(String auditId) {
        Plan plan = plans.get(auditId);
        if (plan == null) {
            return List.of();
        }
        List<ExecutionStep> out = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < plan.steps.size(); i++) {
            ExecutionStep s = plan.steps.get(i);
            if (s.state() == StepState.QUEUED) {
                ExecutionStep c = s.ended(StepState.CANCELLED, "cancelled by the operator before it started", now);
                replace(plan, i, c);
                out.add(c);
            }
        }
        if (plan.stopReason == null) {
            plan.stopReason = "the plan was cancelled";
        }
        forgetFinished();
        return out;
    }

    /** Hosts of steps queued, running or being reconciled: the planner neither judges nor uses them. */
    public synchronized Set<String> busyHosts() {
        Set<String> out = new HashSet<>();
        for (Plan p : activePlans()) {
            for (ExecutionStep s : p.steps) {
                if (s.active()) {
                    out.add(s.move().source());
                    out.add(s.move().destination());
                }
            }
        }
        return out;
    }

    /**
     * VMs the planner must leave alone: migrated within the cooldown, failed to migrate within the
     * failed-move cooldown, or in a step still active.
     */
    public Set<String> pinnedVms() {
        Instant now = clock.instant();
        Set<String> out = new HashSet<>(store.migratedSince(now.minus(settings.vmCooldown())).keySet());
        if (!settings.failedMoveCooldown().isZero()) {
            out.addAll(store.failedSince(now.minus(settings.failedMoveCooldown())).keySet());
        }
        synchronized (this) {
            activePlans().forEach(p -> p.steps.stream().filter(ExecutionStep::active).forEach(s -> out.add(s.move().vm())));
        }
        return out;
    }

    /** The plans with active steps: this executor's while executing, else as stored (the leader's). */
    private java.util.Collection<Plan> activePlans() {
        if (term != null) {
            return plans.values();
        }
        List<Plan> out = new ArrayList<>();
        for (String auditId : store.auditsWithActiveSteps()) {
            out.add(new Plan(auditId, store.stepsOf(auditId)));
        }
        return out;
    }

    /** Some step is queued or running (a step only being reconciled does not count). */
    public synchronized boolean hasWorkInProgress() {
        return plans.values().stream().anyMatch(p -> p.steps.stream().anyMatch(s -> !s.state().terminal()));
    }

    // ---- dispatching ---------------------------------------------------------------------------

    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            listener.problem("dispatching plan steps", e);
        }
    }

    /** Starts every queued step the rules allow now; skips those they rule out. */
    private synchronized void dispatch() {
        Term t = term;
        if (closing || t == null || !live()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Integer> perHost = new HashMap<>();
        int clusterRunning = 0;
        for (Plan p : plans.values()) {
            for (ExecutionStep s : p.steps) {
                if (s.state() == StepState.RUNNING || s.reconciling()) {
                    hostsOf(s).forEach(h -> perHost.merge(h, 1, Integer::sum));
                    if (s.isMigration()) {
                        clusterRunning++;
                    }
                }
            }
        }
        Set<String> claimed = new HashSet<>();
        Limits limits = new Limits(now);
        for (Plan plan : plans.values()) {
            for (int i = 0; i < plan.steps.size(); i++) {
                ExecutionStep s = plan.steps.get(i);
                if (s.state() != StepState.QUEUED) {
                    continue;
                }
                if (plan.stopReason != null) {
                    replace(plan, i, s.ended(StepState.SKIPPED, "not started: " + plan.stopReason, now));
                    continue;
                }
                Set<String> hosts = hostsOf(s);
                if (hosts.stream().anyMatch(claimed::contains)) {
                    // An earlier step on one of its hosts has not started: keep the plan's order there.
                    claimed.addAll(hosts);
                    continue;
                }
                String ruledOut = ruledOut(s, limits);
                if (ruledOut != null) {
                    replace(plan, i, s.ended(StepState.SKIPPED, "not started: " + ruledOut, now));
                    continue;
                }
                boolean hostFull = hosts.stream().anyMatch(h -> perHost.getOrDefault(h, 0) >= settings.maxParallelPerHost());
                if (hostFull || (s.isMigration() && clusterRunning >= settings.maxParallel())) {
                    claimed.addAll(hosts);
                    continue;
                }
                ExecutionStep running = s.running(now);
                replace(plan, i, running);
                hosts.forEach(h -> perHost.merge(h, 1, Integer::sum));
                if (s.isMigration()) {
                    clusterRunning++;
                    limits.startedOne();
                }
                submit(t, () -> guarded(running.auditId(), running.id(), false));
            }
        }
        forgetFinished();
    }

    private static Set<String> hostsOf(ExecutionStep s) {
        return s.move().source().equals(s.move().destination()) ? Set.of(s.move().source())
                : Set.of(s.move().source(), s.move().destination());
    }

    /** The cooldown and hourly budget, read from the store once per dispatch pass and only when needed. */
    private final class Limits {
        private final Instant now;
        private Map<String, Instant> cooled;
        private Integer startedLastHour;

        Limits(Instant now) {
            this.now = now;
        }

        Instant cooledAt(String vm) {
            if (cooled == null) {
                cooled = settings.vmCooldown().isZero() ? Map.of() : store.migratedSince(now.minus(settings.vmCooldown()));
            }
            return cooled.get(vm);
        }

        int startedLastHour() {
            if (startedLastHour == null) {
                startedLastHour = store.migrationsStartedSince(now.minus(Duration.ofHours(1)));
            }
            return startedLastHour;
        }

        void startedOne() {
            if (startedLastHour != null) {
                startedLastHour++;
            }
        }
    }

    /** Why the step must not start at all (the cluster changed, or a safety limit), or null. */
    private String ruledOut(ExecutionStep s, Limits limits) {
        PlannedMove m = s.move();
        ClusterSnapshot live = cluster.current();
        Vm vm = live.vm(m.vm());
        if (vm == null) {
            return "VM " + m.vm() + " is no longer in the cluster";
        }
        if (!vm.host().equals(m.source())) {
            return "VM " + m.vm() + " runs on " + vm.host() + " now, not on " + m.source();
        }
        if (!s.isMigration()) {
            return null;
        }
        Host dest = live.host(m.destination());
        if (dest == null || !dest.enabled()) {
            return "destination " + m.destination() + (dest == null ? " is no longer in the cluster" : " is disabled");
        }
        Instant migratedAt = limits.cooledAt(m.vm());
        if (migratedAt != null) {
            return "VM " + m.vm() + " migrated at " + migratedAt + ", within vm_cooldown_s = "
                    + settings.vmCooldown().toSeconds();
        }
        if (settings.maxMovesPerHour() > 0 && limits.startedLastHour() >= settings.maxMovesPerHour()) {
            return "max_moves_per_hour = " + settings.maxMovesPerHour() + " reached (" + limits.startedLastHour()
                    + " migrations started in the last hour)";
        }
        return null;
    }

    // ---- state changes -------------------------------------------------------------------------

    /** Stores and publishes a step's new value; a failure stops its plan. Caller holds the lock. */
    private void replace(Plan plan, int index, ExecutionStep next) {
        ExecutionStep before = plan.steps.get(index);
        store.save(next);
        plan.steps.set(index, next);
        afterChange(plan, before, next);
    }

    private void afterChange(Plan plan, ExecutionStep before, ExecutionStep next) {
        listener.stepChanged(before, next);
        boolean failedNow = next.state() == StepState.FAILED || next.state() == StepState.ABORTED;
        if (failedNow && plan.stopReason == null) {
            plan.stopReason = "step " + next.order() + " (" + next.move().vm() + ") " + next.state().wireName()
                    + (next.error() == null ? "" : ": " + next.error());
        }
    }

    private synchronized ExecutionStep current(String auditId, String stepId) {
        Plan plan = plans.get(auditId);
        if (plan != null) {
            for (ExecutionStep s : plan.steps) {
                if (s.id().equals(stepId)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Applies {@code change} to the step's current value; returns the new value (null if it is gone). */
    private synchronized ExecutionStep update(String auditId, String stepId,
                                              java.util.function.UnaryOperator<ExecutionStep> change) {
        Plan plan = plans.get(auditId);
        if (plan == null || !live()) {
            return null;
        }
        for (int i = 0; i < plan.steps.size(); i++) {
            if (plan.steps.get(i).id().equals(stepId)) {
                ExecutionStep next = change.apply(plan.steps.get(i));
                if (!next.equals(plan.steps.get(i))) {
                    replace(plan, i, next);
                }
                if (!next.active()) {
                    dispatch();
                }
                return next;
            }
        }
        return null;
    }

    /** A migration completed: the step and its history record in one transaction, then the live cluster. */
    private synchronized void completed(String auditId, String stepId, Map<String, Object> result, String note) {
        Plan plan = plans.get(auditId);
        if (plan == null || !live()) {
            return;
        }
        for (int i = 0; i < plan.steps.size(); i++) {
            ExecutionStep before = plan.steps.get(i);
            if (!before.id().equals(stepId)) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>(result);
            if (note != null) {
                r.put("note", note);
            }
            ExecutionStep done = before.withResult(r).ended(StepState.COMPLETED, null, clock.instant());
            List<HistoryRecord> history = store.complete(done);
            plan.steps.set(i, done);
            // History first: once the step reads completed, its record is there too (the live
            // cluster's move below waits for its own commit).
            listener.historyChanged(history);
            cluster.migrated(done.move().vm(), done.move().source(), done.move().destination());
            afterChange(plan, before, done);
            dispatch();
            return;
        }
    }

    private synchronized void forgetFinished() {
        for (java.util.Iterator<Plan> it = plans.values().iterator(); it.hasNext(); ) {
            Plan p = it.next();
            if (p.steps.stream().noneMatch(ExecutionStep::active)) {
                it.remove();
                listener.planEnded(p.auditId, List.copyOf(p.steps));
            }
        }
    }

    // ---- following one step --------------------------------------------------------------------

    /** Runs the step; an unexpected error (the database, say) is reported and the step taken up again. */
    private void guarded(String auditId, String stepId, boolean resumed) {
        boolean again = resumed;
        while (live()) {
            ExecutionStep step = current(auditId, stepId);
            if (step == null || !step.active()) {
                return;
            }
            try {
                if (step.isMigration()) {
                    follow(step, again);
                } else {
                    balloon(step);
                }
                return;
            } catch (RuntimeException e) {
                listener.problem(step.toString(), e);
                again = true;
                if (!pause(executor.pollInterval().multipliedBy(5))) {
                    return;
                }
            }
        }
    }

    private Order orderOf(ExecutionStep s) {
        Vm vm = cluster.current().vm(s.move().vm());
        boolean tolerates = vm != null && SlowingTolerance.of(vm);
        MigrationStrategy strategy = s.ordered() != null ? s.ordered()
                : s.move().strategy() != null ? s.move().strategy() : MigrationStrategy.AUTO;
        return new Order(s.move().vm(), s.move().source(), s.move().destination(), strategy, tolerates);
    }

    private Duration reconcileInterval() {
        Duration quarter = settings.unreachableGrace().dividedBy(4);
        Duration poll = executor.pollInterval();
        Duration d = quarter.compareTo(poll) < 0 ? poll : quarter;
        return d.compareTo(MAX_RECONCILE_INTERVAL) > 0 ? MAX_RECONCILE_INTERVAL : d;
    }

    /** Sleeps; false when the executor is stopping. */
    private boolean pause(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
            return live();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String secondsOf(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(java.util.Locale.ROOT, "%.1f",
                d.toMillis() / 1000.0);
    }

    /**
     * Orders (or, after a restart, finds) the migration and follows it to its end: retries within the
     * grace, then reconciliation; abort on timeout.
     */
    private void follow(ExecutionStep step, boolean resumed) {
        String auditId = step.auditId();
        String stepId = step.id();
        Order order = orderOf(step);
        String handle = step.remoteId();
        boolean reconciling = step.reconciling();
        boolean overdue = false;
        Instant since = step.startedAt() == null ? clock.instant() : step.startedAt();
        Instant lastAnswer = clock.instant();
        String lastProblem = null;
        boolean abortAsked = false;
        Instant abortAt = null;
        RemoteState lastRemote = null;
        boolean warned = false;
        String who = executor.name() + (executor.name().equals("nova") ? "" : " agent of " + order.source());

        if (handle == null && !resumed) {
            // The stored step decides: a step another leader took up (ordered, or being found) is not ordered again.
            ExecutionStep stored = store.stepsOf(auditId).stream().filter(s -> s.id().equals(stepId)).findFirst().orElse(null);
            if (stored == null || stored.state() != StepState.RUNNING || stored.remoteId() != null || !live()
                    || !mayOrder.getAsBoolean()) {
                return;
            }
            try {
                String h = executor.start(order);
                handle = h;
                update(auditId, stepId, s -> s.withRemoteId(h));
            } catch (ExecutorException e) {
                if (!e.transientFailure()) {
                    update(auditId, stepId, s -> s.ended(StepState.FAILED, e.getMessage(), clock.instant()));
                    return;
                }
                // The order may have arrived before the connection broke: look for it below.
                lastProblem = e.getMessage();
            }
        }
        boolean first = true;
        while (live()) {
            if (!first && !pause(reconciling ? reconcileInterval() : executor.pollInterval())) {
                return;
            }
            first = false;
            Instant now = clock.instant();
            Status status;
            try {
                if (handle == null) {
                    Optional<String> found = executor.find(order, since.minus(FIND_SLACK));
                    if (found.isEmpty()) {
                        String why = lastProblem != null ? "the order did not reach the " + who + ": " + lastProblem
                                : "the bridge stopped before the " + who + " accepted the order; nothing ran";
                        update(auditId, stepId, s -> s.ended(StepState.FAILED, why, clock.instant()));
                        return;
                    }
                    String h = found.get();
                    handle = h;
                    update(auditId, stepId, s -> s.withRemoteId(h));
                }
                status = executor.status(order, handle);
            } catch (ExecutorException e) {
                if (!e.transientFailure()) {
                    update(auditId, stepId, s -> s.ended(StepState.FAILED, e.getMessage(), clock.instant()));
                    return;
                }
                if (!warned) {
                    warned = true;
                    listener.unanswered(step, e.getMessage());
                }
                lastProblem = e.getMessage();
                if (!reconciling && Duration.between(lastAnswer, now).compareTo(settings.unreachableGrace()) >= 0) {
                    reconciling = true;
                    String why = "no answer from the " + who + " for " + secondsOf(Duration.between(lastAnswer, now))
                            + " s (agent_unreachable_grace_s = " + secondsOf(settings.unreachableGrace()) + "): "
                            + lastProblem + "; the outcome is unknown and the bridge keeps asking";
                    update(auditId, stepId, s -> s.outcomeUnknown(why, clock.instant()));
                }
                continue;
            }
            lastAnswer = now;
            warned = false;
            if (status.handle() != null && !status.handle().equals(handle)) {
                String h = status.handle();
                handle = h;
                update(auditId, stepId, s -> s.withRemoteId(h));
            }
            if (status.state().terminal()) {
                finish(auditId, stepId, status, reconciling, abortAsked);
                return;
            }
            if (reconciling && !overdue) {
                reconciling = false;
                Map<String, Object> r = status.result();
                update(auditId, stepId, s -> s.withResult(r).resumedRunning());
            } else if (status.state() != lastRemote) {
                Map<String, Object> r = status.result();
                update(auditId, stepId, s -> s.withResult(r));
            }
            lastRemote = status.state();
            if (!abortAsked && Duration.between(since, now).compareTo(executor.migrationTimeout()) > 0) {
                abortAsked = true;
                abortAt = now;
                String outcome;
                try {
                    outcome = executor.abort(order, handle) ? "abort requested" : "the " + who + " cannot abort it now";
                } catch (ExecutorException e) {
                    outcome = "abort failed: " + e.getMessage();
                }
                String note = outcome;
                update(auditId, stepId, s -> {
                    Map<String, Object> r = new LinkedHashMap<>(s.result());
                    r.put("timeout", "still " + status.state().wireName() + " after migration_timeout_s = "
                            + secondsOf(executor.migrationTimeout()) + " s; " + note);
                    return s.withResult(r);
                });
            }
            Duration abortGrace = settings.unreachableGrace().compareTo(executor.pollInterval().multipliedBy(3)) > 0
                    ? settings.unreachableGrace() : executor.pollInterval().multipliedBy(3);
            if (abortAsked && !overdue && Duration.between(abortAt, now).compareTo(abortGrace) > 0) {
                overdue = true;
                reconciling = true;
                String why = "did not finish within migration_timeout_s = " + secondsOf(executor.migrationTimeout())
                        + " s and has not stopped since the abort; the outcome is unknown and the bridge keeps asking";
                update(auditId, stepId, s -> s.outcomeUnknown(why, clock.instant()));
            }
        }
    }

    private void finish(String auditId, String stepId, Status status, boolean reconciling, boolean abortAsked) {
        Instant now = clock.instant();
        switch (status.state()) {
            case COMPLETED -> completed(auditId, stepId, status.result(), reconciling
                    ? "corrected at " + now + ": the " + executor.name() + " reported completion after the step had "
                    + "been marked failed; the history record was written then" : null);
            case ABORTED -> update(auditId, stepId, s -> s.withResult(status.result()).ended(StepState.ABORTED,
                    abortAsked ? "did not finish within migration_timeout_s = " + secondsOf(executor.migrationTimeout())
                            + " s; aborted, the VM stays on " + s.move().source()
                            : status.error() != null ? status.error() : "aborted by the " + executor.name(), now));
            default -> update(auditId, stepId, s -> s.withResult(status.result()).ended(StepState.FAILED,
                    (status.error() != null ? status.error() : "the " + executor.name() + " reported it failed")
                            + (abortAsked ? " (after the abort on timeout)" : ""), now));
        }
    }

    /** A balloon step: the VM's memory on its own host, then its host is judged again (seed 004 §3.3). */
    private void balloon(ExecutionStep step) {
        String auditId = step.auditId();
        String stepId = step.id();
        PlannedMove m = step.move();
        Vm vm = cluster.current().vm(m.vm());
        long target = (vm == null ? m.memoryMb() : vm.memoryMb()) + m.amountMb();
        Instant firstTry = clock.instant();
        ExecutionStep end = null;
        boolean warned = false;
        while (live() && end == null) {
            try {
                long now = executor.growMemory(m.vm(), m.source(), target);
                cluster.memoryChanged(m.vm(), now);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("target_mb", target);
                r.put("memory_mb", now);
                end = update(auditId, stepId, s -> s.withResult(r).ended(StepState.COMPLETED, null, clock.instant()));
            } catch (UnsupportedOperationException e) {
                end = update(auditId, stepId, s -> s.ended(StepState.SKIPPED, "balloon step not carried out: "
                        + e.getMessage(), clock.instant()));
            } catch (ExecutorException e) {
                boolean giveUp = !e.transientFailure()
                        || Duration.between(firstTry, clock.instant()).compareTo(settings.unreachableGrace()) >= 0;
                if (giveUp) {
                    end = update(auditId, stepId, s -> s.ended(StepState.FAILED, e.getMessage(), clock.instant()));
                } else {
                    if (!warned) {
                        warned = true;
                        listener.unanswered(step, e.getMessage());
                    }
                    if (!pause(executor.pollInterval())) {
                        return;
                    }
                }
            }
        }
        if (end != null) {
            listener.balloonEnded(end);
        }
    }

    @Override
    public void close() {
        // Steps stay as they are in the store: the next start asks their executor what became of them.
        closing = true;
        stop();
    }
}
