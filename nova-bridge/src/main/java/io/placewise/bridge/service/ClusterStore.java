package io.placewise.bridge.service;

import io.placewise.bridge.store.ClusterRepository;
import io.placewise.service.store.Database;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.LoadSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The live cluster state: an immutable snapshot in memory for lock-free reads, the database as
 * its durable copy. Writes are serialised; each lands in the database first and is published
 * only when its transaction commits, so a failed write changes nothing.
 */
public final class ClusterStore {
    private final Database db;
    private final ClusterRepository repository = new ClusterRepository();
    private final int window;
    private final AtomicReference<ClusterSnapshot> current;

    public ClusterStore(Database db, int window) {
        this.db = db;
        this.window = window;
        this.current = new AtomicReference<>(db.inTransaction(c -> repository.load(c, window)));
    }

    public ClusterSnapshot current() {
        return current.get();
    }

    /** Replaces hosts, VMs and traffic; sample windows of hosts that remain are kept. */
    public synchronized ClusterSnapshot replace(ClusterSnapshot next) {
        ClusterSnapshot before = current.get();
        Map<String, List<LoadSample>> samples = new HashMap<>(before.allSamples());
        samples.keySet().retainAll(next.hosts().stream().map(h -> h.name()).toList());
        ClusterSnapshot after = next.withSamples(samples).canonical();
        db.inTransaction(c -> {
            repository.persist(c, before, after);
            return null;
        });
        current.set(after);
        return after;
    }

    /**
     * Records one profiler sample of {@code host} and applies the state change it implies.
     *
     * @param change turns the current snapshot into the one the sample describes; it may throw
     *               {@link IllegalArgumentException} to refuse the sample (nothing changes then)
     */
    public synchronized ClusterSnapshot recordSample(String host, LoadSample sample, UnaryOperator<ClusterSnapshot> change) {
        ClusterSnapshot before = current.get();
        ClusterSnapshot changed = change.apply(before);
        Map<String, List<LoadSample>> samples = new HashMap<>(before.allSamples());
        List<LoadSample> list = new ArrayList<>(samples.getOrDefault(host, List.of()));
        list.add(sample);
        list.sort(Comparator.comparing(LoadSample::at));
        samples.put(host, list.size() > window ? list.subList(list.size() - window, list.size()) : list);
        ClusterSnapshot after = changed.withSamples(samples).canonical();
        db.inTransaction(c -> {
            repository.persist(c, before, after);
            repository.appendSample(c, host, sample, window);
            return null;
        });
        current.set(after);
        return after;
    }

    /** Applies {@code change} to the current snapshot and stores the result like {@link #replace}. */
    public synchronized ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
        return replace(change.apply(current.get()));
    }
}
