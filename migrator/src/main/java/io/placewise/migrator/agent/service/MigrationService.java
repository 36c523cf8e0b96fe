package io.placewise.migrator.agent.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.migrator.Adoption;
import io.placewise.migrator.CpuShareRestorer;
import io.placewise.migrator.Hypervisor;
import io.placewise.migrator.HypervisorRefusedException;
import io.placewise.migrator.MigrationControl;
import io.placewise.migrator.MigrationOrder;
import io.placewise.migrator.MigrationResult;
import io.placewise.migrator.MigrationRunner;
import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.RestoreLog;
import io.placewise.migrator.RoundReport;
import io.placewise.migrator.agent.config.OrphanedJobs;
import io.placewise.migrator.agent.store.MigrationRecord;
import io.placewise.migrator.agent.store.MigrationRepository;
import io.placewise.precopy.MigrationStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's migrations (SPEC "Migrator"): each order is stored as {@code queued}, run one at a
 * time by the {@link MigrationRunner} (two migrations of one host would share its NIC and skew each
 * other's model), and every state change and round is stored as it happens, so that
 * {@code GET /v1/migrations/{id}} survives a restart. At start-up, every migration whose runner
 * died with the previous process is taken over ({@link #recover}): its job is adopted or aborted
 * per {@code [migrator] orphaned_jobs}, and its record ends as what really happened.
 */
public final class MigrationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationService.class);

    private final Hypervisor hypervisor;
    private final MigrationRepository repo;
    private final RestoreLog restoreLog;
    private final MigrationRunner runner;
    private final MeterRegistry metrics;
    private final OrphanedJobs orphanedJobs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "placewise-migration");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /** A queued or running migration: its live handle, and whether the worker has taken it up. */
    private record Active(String domain, MigrationControl control, AtomicInteger phase) {
        static final int QUEUED = 0;
        static final int STARTED = 1;
        static final int CANCELLED = 2;

        boolean start() {
            return phase.compareAndSet(QUEUED, STARTED);
        }

        /** True when it had not started: it never will. */
        boolean cancel() {
            return phase.compareAndSet(QUEUED, CANCELLED);
        }
    }

    /** What a request to abort came to. */
    public enum AbortOutcome { ABORTING, ABORTED_BEFORE_START, IN_POST_COPY, ALREADY_OVER }

    public MigrationService(Hypervisor hypervisor, MigrationRepository repo, RestoreLog restoreLog,
                            MigrationRunner runner, MeterRegistry metrics, OrphanedJobs orphanedJobs) {
        this.hypervisor = hypervisor;
        this.repo = repo;
        this.restoreLog = restoreLog;
        this.runner = runner;
        this.metrics = metrics;
        this.orphanedJobs = orphanedJobs;
    }

    /**
     * Start-up recovery, before the agent listens: every migration the previous process left
     * {@code queued} never started and ends {@code aborted}; every one left {@code running} is
     * taken over by the runner ({@link MigrationRunner#adopt}) ahead of any new order: a job still
     * running is watched to its end, or aborted when {@code [migrator] orphaned_jobs = abort}
     * (never in post-copy), and a job that ended unobserved is read from where the domain runs.
     * Until it ends it is an ordinary running migration: {@code GET} follows it, {@code DELETE}
     * aborts it, a second order for its domain is a 409 naming it. CPU shares left in the restore
     * log by migrations not taken over are restored now (an orphaned job on such a domain is
     * aborted, see {@link CpuShareRestorer#recoverOnStartup}).
     */
    public synchronized void recover() {
        List<MigrationRecord> takeOver = new ArrayList<>();
        for (MigrationRecord m : repo.unfinished()) {
            if (m.state() == MigrationState.QUEUED) {
                repo.end(m.id(), MigrationState.ABORTED, "the agent stopped before this migration started; "
                        + "nothing was done");
                LOG.warn("migration {} of {}: never started before the agent stopped; marked aborted", m.id(), m.domain());
            } else {
                takeOver.add(m);
            }
        }
        Set<String> ids = new HashSet<>();
        Set<String> domains = new HashSet<>();
        takeOver.forEach(m -> {
            ids.add(m.id());
            domains.add(m.domain());
        });
        for (CpuShareRestorer.Recovery r : new CpuShareRestorer(hypervisor, restoreLog).recoverOnStartup(ids, domains)) {
            LOG.info("start-up recovery of {} ({}): {}", r.entry().domain(), r.entry().migrationId(), r.detail());
        }
        List<RestoreEntry> entries = restoreLog.pending();
        for (MigrationRecord m : takeOver) {
            RestoreEntry entry = entries.stream().filter(e -> e.migrationId().equals(m.id())).findFirst().orElse(null);
            Double lastShare = m.rounds().isEmpty() ? null : m.rounds().get(m.rounds().size() - 1).cpuSharePct();
            Adoption adoption = new Adoption(m.strategyUsed(), entry, lastShare, m.reason(),
                    orphanedJobs == OrphanedJobs.ABORT);
            MigrationOrder order = new MigrationOrder(m.id(), m.domain(), m.destinationUri(), m.strategyRequested(),
                    m.maxDowntimeMs(), m.bandwidthMbps(), m.guestToleratesSlowing());
            MigrationControl control = new MigrationControl(new Persisting(m.id()));
            // Started from the first: a DELETE before the worker takes it up must reach the job.
            Active a = new Active(m.domain(), control, new AtomicInteger(Active.STARTED));
            active.put(m.id(), a);
            worker.execute(() -> finishRun(order, () -> runner.adopt(order, adoption, control)));
            LOG.warn("migration {} of {} to {}: its previous agent stopped watching it; taking it over ({})",
                    m.id(), m.domain(), m.destinationUri(), orphanedJobs.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Whether the domain has a migration queued or running here (adopted ones included). */
    public Optional<String> migrationOf(String domain) {
        return active.entrySet().stream().filter(e -> e.getValue().domain().equals(domain)).map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * Stores the order as {@code queued} and queues it.
     *
     * @throws DomainNotHereException when the domain is not running on this host
     * @throws DomainBusyException    when the domain already has a queued or running migration
     */
    public synchronized MigrationRecord submit(String domain, String destinationUri, MigrationStrategy strategy,
                                               Long maxDowntimeMs, Double bandwidthMbps, boolean toleratesSlowing) {
        if (closing) {
            throw new IllegalStateException("the agent is stopping");
        }
        Optional<String> running = migrationOf(domain);
        if (running.isPresent()) {
            throw new DomainBusyException("domain '" + domain + "' already has migration " + running.get()
                    + " queued or running");
        }
        if (!hypervisor.isRunningHere(domain)) {
            throw new DomainNotHereException(domain);
        }
        boolean foreignJob;
        try {
            foreignJob = hypervisor.jobStats(domain).active();
        } catch (HypervisorRefusedException e) {
            foreignJob = true; // libvirt refuses job statistics to a domain arriving here
        }
        if (foreignJob) {
            // Not one of ours (those are in `active`): libvirt would refuse the migration later.
            throw new DomainBusyException("domain '" + domain + "' has a hypervisor job this agent did not start "
                    + "(e.g. a migration ordered elsewhere, or it is migrating in)");
        }
        Instant now = Instant.now();
        MigrationRecord record = new MigrationRecord(UUID.randomUUID().toString(), domain, destinationUri, strategy,
                maxDowntimeMs, bandwidthMbps, toleratesSlowing, MigrationState.QUEUED, null, null, List.of(), null,
                null, null, null, now, now);
        repo.insert(record);
        MigrationOrder order = new MigrationOrder(record.id(), domain, destinationUri, strategy, maxDowntimeMs,
                bandwidthMbps, toleratesSlowing);
        MigrationControl control = new MigrationControl(new Persisting(record.id()));
        // Registered before it is queued, so a quick run cannot finish before it is known.
        Active a = new Active(domain, control, new AtomicInteger(Active.QUEUED));
        active.put(record.id(), a);
        worker.execute(() -> {
            if (a.start()) {
                finishRun(order, () -> runner.run(order, control));
            }
        });
        LOG.info("migration {} of {} to {} queued ({})", record.id(), domain, destinationUri, strategy.wireName());
        return record;
    }

    private void finishRun(MigrationOrder order, Supplier<MigrationResult> run) {
        try {
            MigrationResult result = run.get();
            repo.finish(result);
            metrics.counter("placewise.migrations", "state", result.state().wireName(), "strategy",
                    result.strategyUsed() == null ? "none" : result.strategyUsed().wireName()).increment();
        } catch (RuntimeException e) {
            LOG.error("migration {} could not be recorded", order.id(), e);
        } finally {
            active.remove(order.id());
        }
    }

    public Optional<MigrationRecord> find(String id) {
        return repo.find(id);
    }

    public List<MigrationRecord> list() {
        return repo.list();
    }

    /** Asks a migration to stop; the VM keeps running here and its CPU share is restored. */
    public synchronized AbortOutcome abort(String id) {
        Active a = active.get(id);
        if (a == null) {
            return AbortOutcome.ALREADY_OVER;
        }
        if (a.cancel()) {
            // never started: nothing on the hypervisor to undo
            active.remove(id);
            repo.end(id, MigrationState.ABORTED, "aborted by operator request before it started");
            return AbortOutcome.ABORTED_BEFORE_START;
        }
        if (a.control().postCopyActive()) {
            return AbortOutcome.IN_POST_COPY;
        }
        return a.control().requestAbort() ? AbortOutcome.ABORTING
                : a.control().postCopyActive() ? AbortOutcome.IN_POST_COPY : AbortOutcome.ALREADY_OVER;
    }

    /**
     * Stops cleanly: queued migrations are aborted before they start, running ones are asked to
     * abort (the VM stays here with its share restored; one in post-copy is let finish), and the
     * runner is given {@code wait} to get there. Whatever is left is recovered at the next start.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(60));
    }

    public void close(Duration wait) {
        synchronized (this) {
            closing = true;
            for (Map.Entry<String, Active> e : active.entrySet()) {
                if (e.getValue().cancel()) {
                    active.remove(e.getKey());
                    repo.end(e.getKey(), MigrationState.ABORTED, "the agent stopped before this migration started");
                } else {
                    e.getValue().control().requestAbort();
                }
            }
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} migration(s) still running at shutdown; they are recovered at the next start",
                        active.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stores each change the runner reports; a database hiccup must not abort a live migration. */
    private final class Persisting implements MigrationControl.Listener {
        private final String id;

        Persisting(String id) {
            this.id = id;
        }

        @Override
        public void stateChanged(MigrationState state) {
            if (state == MigrationState.RUNNING) {
                quietly(() -> repo.state(id, state));
            }
        }

        @Override
        public void roundReported(RoundReport report) {
            quietly(() -> repo.addRound(id, report));
        }

        @Override
        public void strategyChosen(MigrationStrategy strategy, String reason) {
            quietly(() -> repo.strategy(id, strategy, reason));
        }

        private void quietly(Runnable write) {
            try {
                write.run();
            } catch (RuntimeException e) {
                LOG.warn("migration {}: progress not stored: {}", id, e.toString());
            }
        }
    }

    /** The domain is not running on this host. */
    public static final class DomainNotHereException extends RuntimeException {
        public DomainNotHereException(String domain) {
            super("domain '" + domain + "' is not running on this host");
        }
    }

    /** The domain already has a queued or running migration, or another hypervisor job. */
    public static final class DomainBusyException extends RuntimeException {
        public DomainBusyException(String message) {
            super(message);
        }
    }
}
