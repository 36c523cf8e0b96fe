package io.placewise.migrator.agent.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.migrator.CpuShareRestorer;
import io.placewise.migrator.Hypervisor;
import io.placewise.migrator.MigrationControl;
import io.placewise.migrator.MigrationOrder;
import io.placewise.migrator.MigrationResult;
import io.placewise.migrator.MigrationRunner;
import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RestoreLog;
import io.placewise.migrator.RoundReport;
import io.placewise.migrator.agent.store.MigrationRecord;
import io.placewise.migrator.agent.store.MigrationRepository;
import io.placewise.precopy.MigrationStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's migrations (SPEC "Migrator"): each order is stored as {@code queued}, run one at a
 * time by the {@link MigrationRunner} (two migrations of one host would share its NIC and skew each
 * other's model), and every state change and round is stored as it happens, so that
 * {@code GET /v1/migrations/{id}} survives a restart. At start-up, migrations whose runner died
 * with the previous process are marked {@code failed} and their CPU shares restored.
 */
public final class MigrationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationService.class);

    private final Hypervisor hypervisor;
    private final MigrationRepository repo;
    private final RestoreLog restoreLog;
    private final MigrationRunner runner;
    private final MeterRegistry metrics;
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
                            MigrationRunner runner, MeterRegistry metrics) {
        this.hypervisor = hypervisor;
        this.repo = repo;
        this.restoreLog = restoreLog;
        this.runner = runner;
        this.metrics = metrics;
    }

    /**
     * Start-up recovery: every migration left {@code queued} or {@code running} by the previous
     * process has lost its runner. The CPU shares it changed are restored first (an orphaned job is
     * aborted so the VM stays here, see {@link CpuShareRestorer#recoverOnStartup}), then the
     * migration is marked {@code failed} with what happened.
     */
    public void recover() {
        List<CpuShareRestorer.Recovery> recoveries = new CpuShareRestorer(hypervisor, restoreLog).recoverOnStartup();
        for (CpuShareRestorer.Recovery r : recoveries) {
            LOG.info("start-up recovery of {} ({}): {}", r.entry().domain(), r.entry().migrationId(), r.detail());
        }
        for (MigrationRecord m : repo.unfinished()) {
            StringBuilder error = new StringBuilder("the agent stopped while this migration was ")
                    .append(m.state().wireName()).append("; its outcome was not observed");
            recoveries.stream().filter(r -> r.entry().migrationId().equals(m.id())).findFirst()
                    .ifPresent(r -> error.append("; CPU share: ").append(r.detail()));
            try {
                error.append(hypervisor.isRunningHere(m.domain()) ? "; the domain is running on this host"
                        : "; the domain is not running on this host");
            } catch (RuntimeException e) {
                error.append("; the hypervisor could not say where the domain runs: ").append(e.getMessage());
            }
            repo.end(m.id(), MigrationState.FAILED, error.toString());
            LOG.warn("migration {} of {}: {}", m.id(), m.domain(), error);
        }
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
        if (active.values().stream().anyMatch(a -> a.domain().equals(domain))) {
            throw new DomainBusyException(domain);
        }
        if (!hypervisor.isRunningHere(domain)) {
            throw new DomainNotHereException(domain);
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
                run(order, control);
            }
        });
        LOG.info("migration {} of {} to {} queued ({})", record.id(), domain, destinationUri, strategy.wireName());
        return record;
    }

    private void run(MigrationOrder order, MigrationControl control) {
        try {
            MigrationResult result = runner.run(order, control);
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

    /** The domain already has a queued or running migration. */
    public static final class DomainBusyException extends RuntimeException {
        public DomainBusyException(String domain) {
            super("domain '" + domain + "' already has a migration queued or running");
        }
    }
}
