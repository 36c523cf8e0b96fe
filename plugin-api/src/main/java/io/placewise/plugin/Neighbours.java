package io.placewise.plugin;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;

/**
 * Who would share a host with the VM being placed, counted from the snapshot's per-host indexes in
 * O(1) per question: the VM itself (when it is being moved) is not its own neighbour, and this
 * request's earlier instances are neighbours of the spec's own kind.
 */
public final class Neighbours {
    /** One Neighbours per request, shared by the plugins that count neighbours (its counts read claims live). */
    public static final StateKey<Neighbours> STATE = StateKey.of("neighbours", Neighbours::new);

    private final PlacementContext context;
    private final ClusterSnapshot cluster;
    private final WorkloadClass workload;
    private final Vm self;
    private int[] counts = new int[0];

    /** The request's Neighbours, made once and shared ({@link #STATE}). */
    public static Neighbours of(PlacementContext context) {
        return context.state(STATE);
    }

    public Neighbours(PlacementContext context) {
        this.context = context;
        this.cluster = context.cluster();
        this.workload = context.spec().workload();
        String id = context.spec().instanceUuid();
        this.self = id == null ? null : cluster.vm(id);
    }

    /** Instances this request has already placed on the host; they are copies of the spec. */
    public int claimedOn(String host) {
        return context.claimedOn(host);
    }

    /** Neighbours of workload class {@code c} on the host, this request's earlier instances included. */
    public int ofClass(String host, WorkloadClass c) {
        int n = existing(host, c);
        if (c == workload) {
            n += claimedOn(host);
        }
        return n;
    }

    /**
     * Σ {@code weights[i]} × {@link #ofClass}(host, {@code classes[i]}), with one index lookup for all
     * classes. Not thread-safe: one Neighbours per request, whose plugins run one after another.
     */
    public double weightedCount(String host, WorkloadClass[] classes, double[] weights) {
        if (counts.length < classes.length) {
            counts = new int[classes.length];
        }
        cluster.workloadCounts(host, classes, counts);
        int claimed = -1;
        double sum = 0;
        for (int i = 0; i < classes.length; i++) {
            int n = counts[i];
            if (self != null && self.workload() == classes[i] && self.host().equals(host)) {
                n--;
            }
            if (classes[i] == workload) {
                if (claimed < 0) {
                    claimed = claimedOn(host);
                }
                n += claimed;
            }
            sum += weights[i] * n;
        }
        return sum;
    }

    /** VMs of workload class {@code c} the cluster already runs on the host, the VM itself excepted. */
    public int existing(String host, WorkloadClass c) {
        int n = cluster.workloadCount(host, c);
        if (self != null && self.host().equals(host) && self.workload() == c) {
            n--;
        }
        return n;
    }

    /** Whether {@code vm} is the VM being placed itself (it is not its own neighbour). */
    public boolean isSelf(Vm vm) {
        return self != null && self.id().equals(vm.id());
    }

    /** Neighbours on the host that list {@code resource} in their own nonsharable set (not counting claims). */
    public int listing(String host, String resource) {
        int n = cluster.nonsharableCount(host, resource);
        if (self != null && self.host().equals(host) && self.nonsharable().stream().anyMatch(r -> r.trim().equalsIgnoreCase(resource))) {
            n--;
        }
        return n;
    }
}
