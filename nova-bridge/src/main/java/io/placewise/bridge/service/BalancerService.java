package io.placewise.bridge.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.AuditPlanner;
import io.placewise.balancer.Goal;
import io.placewise.balancer.PlannedMove;
import io.placewise.bridge.api.BalancerDtos.AuditDto;
import io.placewise.bridge.api.BalancerDtos.AuditSummaryDto;
import io.placewise.bridge.api.BalancerDtos.ExecutionDto;
import io.placewise.bridge.api.BalancerDtos.HistoryMatchDto;
import io.placewise.bridge.api.BalancerDtos.HotspotDto;
import io.placewise.bridge.api.BalancerDtos.MetricsDto;
import io.placewise.bridge.api.BalancerDtos.MigrationDto;
import io.placewise.bridge.api.BalancerDtos.PlanStepDto;
import io.placewise.bridge.api.BalancerDtos.StoredStep;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.migration.MigrationExecutor;
import io.placewise.bridge.store.BalancerRepository;
import io.placewise.bridge.store.BalancerRepository.MigrationRow;
import io.placewise.filters.HotspotFilter;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Vm;
import io.placewise.scheduler.PolicySet;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.http.JsonMapperProvider;
import io.placewise.service.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer service: audits the live (or an inline what-if) cluster with the core's {@link AuditPlanner},
 * keeps audits, history records and migrations in the database, executes plans in order through a
 * {@link MigrationExecutor} on one background thread, and runs periodic audits when configured.
 */
public final class BalancerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BalancerService.class);
    private static final TypeReference<List<StoredStep>> STEPS = new TypeReference<>() {
    };

    private final Database db;
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final BalancerConfig config;
    private final MigrationExecutor executor;
    private final BalancerRepository repository = new BalancerRepository();
    private final AtomicReference<List<HistoryRecord>> history;
    private final Set<String> busyHosts = ConcurrentHashMap.newKeySet();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(daemon("placewise-balancer-exec"));
    private volatile java.util.function.Consumer<AuditDto> auditListener = a -> { };
    private final ScheduledExecutorService periodic = Executors.newSingleThreadScheduledExecutor(daemon("placewise-balancer"));

    public BalancerService(Database db, ClusterStore cluster, PolicyStore policies, BalancerConfig config,
                           MigrationExecutor executor) {
        this.db = db;
        this.cluster = cluster;
        this.policies = policies;
        this.config = config;
        this.executor = executor;
        int closed = db.inTransaction(repository::closeInterrupted);
        if (closed > 0) {
            LOG.warn("{} balancer migration step(s) were interrupted by the last shutdown and are marked failed/aborted", closed);
        }
        this.history = new AtomicReference<>(db.inTransaction(c -> repository.history(c, config.settings().historySize())));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public BalancerConfig config() {
        return config;
    }

    /** Told of every audit stored, periodic ones included (the console's metrics). */
    public void onAudit(java.util.function.Consumer<AuditDto> listener) {
        this.auditListener = listener;
    }

    /** The history records, newest first (also fed to the placement pipeline). */
    public List<HistoryRecord> history() {
        return history.get();
    }

    /** Starts the periodic balancer when {@code [balancer] enabled}. */
    public void startPeriodic() {
        if (!config.enabled()) {
            return;
        }
        periodic.scheduleWithFixedDelay(this::periodicRun, config.intervalS(), config.intervalS(), TimeUnit.SECONDS);
        LOG.info("periodic balancer every {} s, auto_execute = {}", config.intervalS(), config.autoExecute());
    }

    private void periodicRun() {
        try {
            // Hotspots first: an overloaded host hurts now, an imbalance only wastes capacity.
            for (Goal goal : List.of(Goal.HOTSPOT, Goal.BALANCE)) {
                AuditOutcome out = plan(goal, cluster.current(), false);
                if (out.triggered() && !out.plan().isEmpty()) {
                    AuditDto audit = store(out, !config.autoExecute(), false);
                    LOG.info("periodic {} audit {} planned {} step(s)", goal.wireName(), audit.id(), out.plan().size());
                    if (config.autoExecute()) {
                        execute(audit.id());
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("periodic balancer run failed: {}", e.toString());
        }
    }

    /**
     * Audits the live cluster, or {@code whatIf} when given (then nothing live is used or changed and the
     * audit cannot be executed). {@code dryRun = false} on the live cluster executes the plan at once.
     */
    public AuditDto audit(Goal goal, boolean dryRun, ClusterSnapshot whatIf) {
        boolean isWhatIf = whatIf != null;
        AuditOutcome out = plan(goal, isWhatIf ? whatIf : cluster.current(), isWhatIf);
        AuditDto dto = store(out, dryRun, isWhatIf);
        if (!dryRun && !isWhatIf && !out.plan().isEmpty()) {
            execute(dto.id());
        }
        return dto;
    }

    private AuditOutcome plan(Goal goal, ClusterSnapshot snapshot, boolean whatIf) {
        PolicySet set = policies.current();
        // The same hotspot rule and thresholds as the HotspotFilter (operators change them in one place).
        HotspotDetector detector = set.settings("HotspotFilter").map(s -> HotspotFilter.detector(s.params()))
                .orElse(HotspotDetector.DEFAULT);
        AuditPlanner planner = new AuditPlanner(config.settings(), detector);
        Set<String> busy = whatIf ? Set.of() : Set.copyOf(busyHosts);
        return planner.audit(goal, snapshot, set, history.get(), busy);
    }

    private AuditDto store(AuditOutcome out, boolean dryRun, boolean whatIf) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        AuditDto dto = toDto(id, out, dryRun, whatIf, now);
        List<StoredStep> steps = out.plan().stream().map(m -> new StoredStep(m.order(), m.action().wireName(), m.vm(),
                m.source(), m.destination(), m.strategy() == null ? null : m.strategy().wireName(), m.amountMb(),
                m.loadsBefore())).toList();
        String answer = write(dto);
        String stepsJson = write(steps);
        db.inTransaction(c -> {
            repository.insertAudit(c, id, now, out.goal().wireName(), whatIf, answer, stepsJson);
            return null;
        });
        auditListener.accept(dto);
        return dto;
    }

    /** The newest {@code limit} audits, newest first, with whether each was executed. */
    public List<AuditSummaryDto> audits(int limit) {
        return db.inTransaction(c -> repository.audits(c, limit)).stream().map(a -> {
            AuditDto d = read(a.answer(), AuditDto.class);
            return new AuditSummaryDto(d.id(), d.goal(), d.triggered(), d.dryRun(), d.whatIf(), a.executed(),
                    d.plan().size(), d.metrics().cM(), d.decisionMs(), d.createdAt());
        }).toList();
    }

    public Optional<AuditDto> audit(String id) {
        return db.inTransaction(c -> repository.audit(c, id)).map(a -> read(a.answer(), AuditDto.class));
    }

    /**
     * Queues the audit's plan: one migration record per step (state {@code queued}), run in order on the
     * background thread. The first failure stops the plan; later steps are closed as {@code aborted}.
     */
    public synchronized ExecutionDto execute(String auditId) {
        BalancerRepository.StoredAudit audit = db.inTransaction(c -> repository.audit(c, auditId))
                .orElseThrow(() -> ApiProblem.notFound("no audit with id '" + auditId + "'"));
        if (audit.whatIf()) {
            throw new ApiProblem(409, "Conflict", "audit " + auditId + " ran on an inline what-if cluster; it cannot be executed", null);
        }
        if (audit.executed()) {
            throw new ApiProblem(409, "Conflict", "audit " + auditId + " was already executed; see GET /v1/migrations", null);
        }
        List<StoredStep> steps = read(audit.steps(), STEPS);
        if (steps.isEmpty()) {
            throw new ApiProblem(409, "Conflict", "audit " + auditId + " planned nothing to execute", null);
        }
        Instant now = Instant.now();
        List<MigrationRow> rows = new ArrayList<>();
        for (StoredStep s : steps) {
            rows.add(new MigrationRow(UUID.randomUUID().toString(), auditId, s.order(), s.action(), s.vm(), s.source(),
                    s.destination(), s.strategy(), "queued", null, null, null, now, now));
        }
        db.inTransaction(c -> {
            repository.markExecuted(c, auditId);
            for (MigrationRow r : rows) {
                repository.insertMigration(c, r);
            }
            return null;
        });
        runner.submit(() -> run(rows, steps));
        return new ExecutionDto(auditId, "queued", rows.stream().map(this::toDto).toList());
    }

    private void run(List<MigrationRow> rows, List<StoredStep> steps) {
        for (int i = 0; i < rows.size(); i++) {
            MigrationRow row = rows.get(i);
            StoredStep step = steps.get(i);
            String failure;
            try {
                failure = runStep(row, step);
            } catch (RuntimeException e) {
                failure = e.toString();
                update(row.id(), "failed", null, null, failure);
            }
            if (failure != null) {
                for (MigrationRow later : rows.subList(i + 1, rows.size())) {
                    update(later.id(), "aborted", null, null, "not started: step " + row.order() + " (" + row.vm()
                            + ") failed: " + failure);
                }
                LOG.warn("plan of audit {} stopped at step {}: {}", row.auditId(), row.order(), failure);
                return;
            }
        }
    }

    /** Runs one step; null when it succeeded (or was skipped), else why it failed (already recorded). */
    private String runStep(MigrationRow row, StoredStep step) {
        if (PlannedMove.Action.GROW_MEMORY.wireName().equals(step.action())) {
            try {
                executor.growMemory(step.vm(), step.source(), step.amountMb());
                update(row.id(), "completed", null, null, null);
            } catch (UnsupportedOperationException e) {
                update(row.id(), "skipped", null, null, "balloon step not carried out: " + e.getMessage());
            } catch (MigrationExecutor.MigrationException e) {
                update(row.id(), "failed", null, null, e.getMessage());
                return e.getMessage();
            }
            return null;
        }
        MigrationExecutor.Request request = new MigrationExecutor.Request(step.vm(), step.source(), step.destination(), step.strategy());
        busyHosts.add(step.source());
        busyHosts.add(step.destination());
        try {
            update(row.id(), "running", null, null, null);
            String handle = executor.start(request);
            update(row.id(), "running", handle, null, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.migrationTimeoutS());
            MigrationExecutor.Status status = executor.status(request, handle);
            while (!status.finished()) {
                if (System.nanoTime() > deadline) {
                    String why = "no result within migration_timeout_s = " + config.migrationTimeoutS() + " s (last state "
                            + status.state() + ")";
                    update(row.id(), "failed", null, write(status.result()), why);
                    return why;
                }
                Thread.sleep(config.pollIntervalMs());
                status = executor.status(request, handle);
            }
            if (!"completed".equals(status.state())) {
                String why = status.error() == null ? "migration " + status.state() : status.error();
                update(row.id(), status.state(), null, write(status.result()), why);
                return why;
            }
            update(row.id(), "completed", null, write(status.result()), null);
            recordSuccess(step);
            return null;
        } catch (MigrationExecutor.MigrationException e) {
            update(row.id(), "failed", null, null, e.getMessage());
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            update(row.id(), "failed", null, null, "interrupted: the bridge is stopping");
            return "interrupted";
        } finally {
            busyHosts.remove(step.source());
            busyHosts.remove(step.destination());
        }
    }

    /** A completed move becomes a history record (seed 000 §3.1 step 3) and the live cluster shows the VM moved. */
    private void recordSuccess(StoredStep step) {
        int keep = config.settings().historySize();
        List<HistoryRecord> records = db.inTransaction(c -> {
            if (keep > 0) {
                repository.appendHistory(c, step.loadsBefore(), step.vm(), step.source(), step.destination(), Instant.now(), keep);
            }
            return repository.history(c, keep);
        });
        history.set(List.copyOf(records));
        try {
            cluster.update(current -> {
                Vm vm = current.vm(step.vm());
                if (vm == null || current.host(step.destination()) == null) {
                    return current;
                }
                List<Vm> vms = new ArrayList<>(current.vms().size());
                current.vms().forEach(v -> vms.add(v.id().equals(vm.id()) ? v.onHost(step.destination()) : v));
                return current.with(current.hosts(), vms, current.traffic());
            });
        } catch (RuntimeException e) {
            LOG.warn("could not move {} to {} in the live cluster: {}", step.vm(), step.destination(), e.toString());
        }
    }

    private void update(String id, String state, String remoteId, String result, String error) {
        db.inTransaction(c -> {
            repository.updateMigration(c, id, state, remoteId, result, error);
            return null;
        });
    }

    public List<MigrationDto> migrations() {
        return db.inTransaction(repository::migrations).stream().map(this::toDto).toList();
    }

    public Optional<MigrationDto> migration(String id) {
        return db.inTransaction(c -> repository.migration(c, id)).map(this::toDto);
    }

    private MigrationDto toDto(MigrationRow r) {
        JsonNode result = r.result() == null ? null : read(r.result(), JsonNode.class);
        return new MigrationDto(r.id(), r.auditId(), r.order(), r.action(), r.vm(), r.source(), r.destination(),
                r.strategy(), r.state(), result, r.error(), r.createdAt(), r.updatedAt());
    }

    private static AuditDto toDto(String id, AuditOutcome out, boolean dryRun, boolean whatIf, Instant at) {
        List<String> hotspots = out.hotspots().stream().map(HotspotDetector.Judgement::host).toList();
        List<HotspotDto> details = out.hotspots().stream().map(j -> new HotspotDto(j.host(), j.cpu(), j.memory(),
                j.network(), j.reason())).toList();
        List<PlanStepDto> plan = out.plan().stream().map(m -> new PlanStepDto(m.order(), m.vm(), m.source(), m.destination(),
                m.strategy() == null ? null : m.strategy().wireName(), m.reason(), m.action().wireName(),
                m.action() == PlannedMove.Action.GROW_MEMORY ? m.amountMb() : null, m.historyRecordId())).toList();
        return new AuditDto(id, out.goal().wireName(), out.triggered(), dryRun, whatIf,
                new MetricsDto(out.cAvg(), out.cM(), out.threshold(), hotspots, details, out.projectedCm()),
                out.historyRecordId() == null ? null : new HistoryMatchDto(out.historyRecordId()), plan,
                out.projected(), out.notes(), out.decisionMs(), at, out.freedHosts(), out.wokenHosts());
    }

    private static String write(Object o) {
        try {
            return JsonMapperProvider.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JsonMapperProvider.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored balancer data is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JsonMapperProvider.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored balancer data is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
        periodic.shutdownNow();
        runner.shutdownNow();
        try {
            runner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
