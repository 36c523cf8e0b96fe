package io.placewise.scheduler;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import java.util.List;
import java.util.Objects;

/**
 * One placement question: the cluster it is asked about, what to place, the candidate hosts (the
 * caller's view, which may override what the cluster knows), how many instances, and the history
 * records the history-aware policies may consult (newest first).
 */
public record PlacementRequest(ClusterSnapshot cluster, PlacementSpec spec, List<Host> candidates,
                               int numInstances, List<HistoryRecord> history) {
    public PlacementRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(spec, "spec");
        candidates = List.copyOf(candidates);
        history = history == null ? List.of() : List.copyOf(history);
        if (numInstances < 1) {
            throw new IllegalArgumentException("num_instances must be at least 1");
        }
    }

    /** A single-instance request over every enabled host of the cluster, without history. */
    public static PlacementRequest of(ClusterSnapshot cluster, PlacementSpec spec) {
        return new PlacementRequest(cluster, spec, cluster.hosts().stream().filter(h -> h.enabled()).toList(), 1, List.of());
    }
}
