package io.placewise.bridge.service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.placewise.bridge.ha.SharedChange;
import io.placewise.bridge.ha.SharedChanges;
import io.placewise.bridge.store.ClusterRepository;
import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.LoadShift;
import io.placewise.model.MoveFence;
import io.placewise.model.Staleness;
import io.placewise.model.Vm;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live cluster state: an immutable snapshot in memory for lock-free reads, the database as its
 * durable copy.
 *
 * <p>All writes go through one writer thread. It takes every change waiting in its queue, applies
 * them one after another to a {@link ClusterEditor} of the current snapshot (a change that refuses
 * is undone alone), writes what they touched in one transaction (group commit), and only then
 * publishes the new snapshot and answers each change. So a change is answered after it is on disk,
 * a refused or failed change alters nothing, and many profiler samples share one commit. A change
 * costs O(what it touches): a sample copies its host, never the cluster.
 *
 * <p>Entry points for the bridge's parts: {@link #submit}/{@link #apply} (any change, through the
 * editor: profiler samples, Nova's notifications and sync), {@link #replace} (a whole snapshot:
 * {@code PUT /v1/cluster}), {@link #migrationCompleted} (the VM and its load move).
 *
 * <p>Several bridges on one PostgreSQL database: each transaction announces the hosts it wrote
 * ({@link #shareThrough}), and what the others wrote is read back row by row into this snapshot
 * ({@link #refresh}), through the same writer, without being written again.
 */
public final class ClusterStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStore.class);
    /** Changes applied and committed together at most. */
    static final int MAX_BATCH = 2000;
    private static final int QUEUE = 20_000;

    private final Database db;
    private final ClusterRepository repository = new ClusterRepository();
    private final int window;
    private final Clock clock;
    private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final DistributionSummary batchSize;
    private final Timer commitTimer;
    private volatile ClusterSnapshot published;
    private volatile boolean open = true;
    private volatile SharedChanges shared = SharedChanges.NONE;

    /** A change of the cluster, made through the editor; throw to refuse it (nothing of it is kept). */
    @FunctionalInterface
    public interface ClusterChange<R> {
        R apply(ClusterEditor editor);
    }

    public ClusterStore(Database db, int window) {
        this(db, window, Staleness.NEVER, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    /**
     * Loads the stored state and starts the writer.
     *
     * @param window    samples kept per host ({@code [scheduler] sample_window})
     * @param staleness when hosts count as stale ({@code [cluster]})
     */
    public ClusterStore(Database db, int window, Staleness staleness, Clock clock, MeterRegistry metrics) {
        this.db = db;
        this.window = window;
        this.clock = clock;
        long t0 = System.nanoTime();
        this.published = db.inTransaction(c -> repository.load(c, window, staleness));
        LOG.info("cluster state loaded: {} hosts, {} VMs in {} ms", published.hosts().size(), published.vmCount(),
                (System.nanoTime() - t0) / 1_000_000);
        this.batchSize = DistributionSummary.builder("placewise.cluster.write.changes")
                .description("changes written in one transaction (group commit)").register(metrics);
        this.commitTimer = Timer.builder("placewise.cluster.write").description("time to write and commit one batch of changes")
                .register(metrics);
        this.writer = new Thread(this::run, "placewise-cluster-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The live snapshot, with staleness judged now. Lock-free. */
    public ClusterSnapshot current() {
        return published.observedAt(clock.instant());
    }

    public int window() {
        return window;
    }

    /** Every write from now on tells the other bridges which hosts it wrote (call before serving). */
    public void shareThrough(SharedChanges changes) {
        this.shared = changes;
    }

    /**
     * Another bridge wrote the rows of {@code hosts} (null: any host) or the server groups' policies:
     * reads them back into the snapshot (a host without a row is removed). Nothing is written.
     */
    public CompletableFuture<ClusterSnapshot> refresh(java.util.Set<String> hosts, boolean groups) {
        return enqueue(new Pending<ClusterSnapshot>(null, null, new Refresh(hosts, groups)));
    }

    /** What {@link #refresh} reads back. */
    private record Refresh(java.util.Set<String> hosts, boolean groups) {
    }

    public Clock clock() {
        return clock;
    }

    // ---- changes ------------------------------------------------------------------------------

    /**
     * Queues a change; the future completes with its result once the change is committed, or
     * exceptionally with what refused it (nothing of it is kept) or with the store's failure.
     */
    public <R> CompletableFuture<R> submit(ClusterChange<R> change) {
        return enqueue(new Pending<>(change, null, null));
    }

    /** {@link #submit} and wait: the change is on disk when this returns. */
    public <R> R apply(ClusterChange<R> change) {
        return await(submit(change));
    }

    /**
     * Replaces hosts, VMs and traffic ({@code PUT /v1/cluster}); hosts that remain keep their sample
     * windows and last report time. Written with one row per host.
     */
    public ClusterSnapshot replace(ClusterSnapshot next) {
        return await(enqueue(new Pending<ClusterSnapshot>(null, before -> keepingWindows(before, next), null)));
    }

    /**
     * Applies {@code change} to the whole current snapshot and stores the result like
     * {@link #replace}. O(cluster): prefer {@link #submit} with an editor for changes of a few hosts.
     */
    public ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
        return await(enqueue(new Pending<ClusterSnapshot>(null, before -> {
            ClusterSnapshot next = change.apply(before);
            return next == before ? before : keepingWindows(before, next);
        }, null)));
    }

    /**
     * A migration completed: {@code vm} now runs on {@code destination}, and its CPU, memory and NIC
     * shares move from the source's utilisation (and window) to the destination's at once
     * ({@link LoadShift}). Each host remembers the move ({@link MoveFence}) so that its samples taken
     * before it do not undo it. Called by the plan executors (migrator and Nova) after a completed
     * step; blocks until the change is on disk.
     *
     * @param completedAt when the migration was seen completed
     * @return false when nothing changed: an unknown VM or host, or the VM is elsewhere by now
     */
    public boolean migrationCompleted(String vm, String source, String destination, Instant completedAt) {
        // Milliseconds: what the stored fence keeps, so that a restart loads the same state.
        Instant at = completedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return apply(e -> moveWithLoad(e, vm, source, destination, at));
    }

    /** The change {@link #migrationCompleted} makes, for callers that combine it with others in one change. */
    public static boolean moveWithLoad(ClusterEditor e, String vmId, String source, String destination, Instant completedAt) {
        Vm vm = e.vm(vmId);
        Host src = e.host(source);
        Host dst = e.host(destination);
        if (vm == null || src == null || dst == null || source.equals(destination)) {
            return false;
        }
        if (vm.host().equals(source)) {
            LoadShift.Move m = LoadShift.of(vm, src, dst, e.peersOf(vmId), e::vm);
            e.putVm(m.moved());
            shift(e, source, new MoveFence(vmId, true, completedAt, m.source()));
            shift(e, destination, new MoveFence(vmId, false, completedAt, m.destination()));
            return true;
        }
        if (vm.host().equals(destination)) {
            // The destination's own sample placed it (and counted its load) already; the source's numbers
            // still count it when its last sample was taken before the move.
            List<LoadSample> w = e.samples(source);
            if (w.isEmpty() || w.get(w.size() - 1).at().isBefore(completedAt)) {
                Vm before = new Vm(vm.id(), source, vm.vcpus(), vm.memoryMb(), vm.diskGb(), LoadShift.cpuShareOn(vm, dst, src),
                        vm.memUtil(), vm.swapWritesPerS(), vm.dirtyRateMbps(), vm.workload(), vm.nonsharable(), vm.group(),
                        vm.toleratesSlowing());
                LoadShift.Move m = LoadShift.of(before, src, dst, e.peersOf(vmId), e::vm);
                shift(e, source, new MoveFence(vmId, true, completedAt, m.source()));
            }
            return true;
        }
        return false;
    }

    /** Applies the fence's change to the host's load and every sample of its window, and keeps the fence. */
    private static void shift(ClusterEditor e, String host, MoveFence fence) {
        LoadShift.Delta d = fence.delta();
        e.putHost(d.applyTo(e.host(host)));
        List<LoadSample> w = e.samples(host);
        if (!w.isEmpty()) {
            e.setSamples(host, w.stream().map(d::applyTo).toList());
        }
        List<MoveFence> fences = new ArrayList<>(e.fences(host));
        fences.removeIf(f -> f.vm().equals(fence.vm()));
        fences.add(fence);
        e.setFences(host, fences);
    }

    private static ClusterSnapshot keepingWindows(ClusterSnapshot before, ClusterSnapshot next) {
        return next.canonical().withStaleness(before.staleness()).withHistoryOf(before);
    }

    // ---- the writer ---------------------------------------------------------------------------

    /** A queued change: either through the editor ({@code change}) or of the whole snapshot ({@code whole}). */
    private static final class Pending<R> {
        final ClusterChange<R> change;
        final UnaryOperator<ClusterSnapshot> whole;
        final Refresh refresh;
        final CompletableFuture<R> future = new CompletableFuture<>();
        R result;

        Pending(ClusterChange<R> change, UnaryOperator<ClusterSnapshot> whole, Refresh refresh) {
            this.change = change;
            this.whole = whole;
            this.refresh = refresh;
        }

        boolean byEditor() {
            return whole == null && refresh == null;
        }

        void applyTo(ClusterEditor e) {
            result = change.apply(e);
        }

        void complete() {
            future.complete(result);
        }

        @SuppressWarnings("unchecked")
        void completeWith(ClusterSnapshot s) {
            future.complete((R) s);
        }
    }

    private <R> CompletableFuture<R> enqueue(Pending<R> p) {
        try {
            if (!open || !queue.offer(p, 30, TimeUnit.SECONDS)) {
                p.future.completeExceptionally(new ApiProblem(503, "Service Unavailable",
                        open ? "the cluster store is overloaded; try again" : "the bridge is stopping", null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future.completeExceptionally(new ApiProblem(503, "Service Unavailable", "interrupted", null));
        }
        return p.future;
    }

    private static <R> R await(CompletableFuture<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(503, "Service Unavailable", "interrupted", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                process(batch);
            } catch (InterruptedException e) {
                if (!open) {
                    break;
                }
            } catch (Throwable t) {
                LOG.error("cluster writer: {}", t.toString(), t);
                batch.forEach(p -> p.future.completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
        Pending<?> p;
        while ((p = queue.poll()) != null) {
            p.future.completeExceptionally(new ApiProblem(503, "Service Unavailable", "the bridge is stopping", null));
        }
    }

    private void process(List<Pending<?>> batch) {
        int i = 0;
        while (i < batch.size()) {
            if (batch.get(i).refresh != null) {
                processRefresh(batch.get(i++));
                continue;
            }
            if (batch.get(i).whole != null) {
                processWhole(batch.get(i++));
                continue;
            }
            int j = i;
            while (j < batch.size() && batch.get(j).byEditor()) {
                j++;
            }
            processEdits(batch.subList(i, j));
            i = j;
        }
    }

    /** Group commit: each change applied (or refused alone), all written in one transaction. */
    private void processEdits(List<Pending<?>> changes) {
        ClusterSnapshot before = published;
        ClusterEditor e = before.edit();
        List<Pending<?>> applied = new ArrayList<>(changes.size());
        for (Pending<?> p : changes) {
            e.begin();
            try {
                p.applyTo(e);
                e.commit();
                applied.add(p);
            } catch (RuntimeException ex) {
                e.rollback();
                p.future.completeExceptionally(ex);
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        ClusterSnapshot after = e.build();
        ClusterEditor.Delta delta = e.delta();
        try {
            if (!delta.isEmpty()) {
                long t0 = System.nanoTime();
                db.inTransaction(c -> {
                    repository.write(c, before, after, delta);
                    java.util.Set<String> touched = new java.util.HashSet<>(delta.inserted());
                    touched.addAll(delta.updated());
                    touched.addAll(delta.deleted());
                    shared.announce(c, SharedChange.hosts(touched, delta.groupPoliciesChanged()));
                    return null;
                });
                commitTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                batchSize.record(applied.size());
            }
        } catch (RuntimeException ex) {
            LOG.warn("cluster changes not stored ({} refused): {}", applied.size(), ex.toString());
            applied.forEach(p -> p.future.completeExceptionally(ex));
            return;
        }
        published = after;
        applied.forEach(Pending::complete);
    }

    private void processWhole(Pending<?> p) {
        ClusterSnapshot before = published;
        try {
            ClusterSnapshot after = p.whole.apply(before);
            if (after != before) {
                db.inTransaction(c -> {
                    java.util.Set<String> touched = repository.replace(c, before, after);
                    shared.announce(c, SharedChange.hosts(touched, !before.groupPolicies().equals(after.groupPolicies())));
                    return null;
                });
                published = after;
            }
            p.completeWith(after);
        } catch (RuntimeException ex) {
            p.future.completeExceptionally(ex);
        }
    }

    /** Reads back what another bridge wrote and publishes it (nothing is written). */
    private void processRefresh(Pending<?> p) {
        ClusterSnapshot before = published;
        try {
            Refresh r = p.refresh;
            ClusterSnapshot after;
            if (r.hosts() == null) {
                after = db.inTransaction(c -> repository.load(c, window, before.staleness()));
            } else {
                var rows = db.inTransaction(c -> repository.loadHosts(c, r.hosts(), window));
                var groups = r.groups() ? db.inTransaction(repository::loadGroupPolicies) : null;
                ClusterEditor e = before.edit();
                e.begin();
                applyRows(e, r.hosts(), rows);
                if (groups != null) {
                    e.setGroupPolicies(groups);
                }
                e.commit();
                after = e.build();
            }
            published = after;
            p.completeWith(after);
        } catch (RuntimeException ex) {
            LOG.warn("another bridge's changes not read back: {}", ex.toString());
            p.future.completeExceptionally(ex);
        }
    }

    /** Makes the editor's hosts {@code names} what their stored rows say (no row: the host is gone). */
    private static void applyRows(ClusterEditor e, java.util.Set<String> names,
                                  java.util.Map<String, ClusterRepository.HostRow> rows) {
        for (String name : names) {
            ClusterRepository.HostRow row = rows.get(name);
            if (row == null) {
                e.removeHost(name);
            } else {
                e.putHost(row.host());
            }
        }
        // VMs first (one that moved between two of these hosts is moved, not removed), then what is no longer there.
        rows.values().forEach(row -> row.vms().forEach(e::putVm));
        for (ClusterRepository.HostRow row : rows.values()) {
            String name = row.host().name();
            java.util.Set<String> stored = new java.util.HashSet<>();
            row.vms().forEach(v -> stored.add(v.id()));
            for (Vm v : e.vmsOn(name)) {
                if (!stored.contains(v.id())) {
                    e.removeVm(v.id());
                }
            }
            for (Vm v : row.vms()) {
                java.util.Map<String, Double> sent = row.sent().getOrDefault(v.id(), java.util.Map.of());
                if (!sent.equals(e.trafficFrom(v.id()))) {
                    e.setTrafficFrom(name, v.id(), sent);
                }
            }
            e.setSamples(name, row.samples());
            e.setLastSampleAt(name, row.lastSampleAt());
            e.setMigratingIn(name, row.migratingIn());
            e.setFences(name, row.fences());
        }
    }

    /** Stops taking changes, writes those already queued, and stops the writer. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
    }
}
