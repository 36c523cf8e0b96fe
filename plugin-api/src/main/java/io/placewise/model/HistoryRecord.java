package io.placewise.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One executed balancing decision (seed 000 §3.1 step 3): the per-host CPU load vector when it was
 * taken, keyed by host name, and the move it made.
 */
public record HistoryRecord(long id, Instant at, Map<String, Double> loadVector, String vm,
                            String source, String destination) {
    public HistoryRecord {
        Objects.requireNonNull(at, "at");
        loadVector = Map.copyOf(loadVector);
    }

    /**
     * Whether today's cluster is in a similar situation (seed 000 §3.1 step 3): every host the record
     * names still exists and its CPU utilisation is within {@code tolerance} of the recorded one.
     * Hosts the record does not name are not compared; an empty vector matches nothing.
     */
    public boolean similarTo(ClusterSnapshot cluster, double tolerance) {
        if (loadVector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Double> e : loadVector.entrySet()) {
            Host today = cluster.host(e.getKey());
            if (today == null || e.getValue() == null || Math.abs(today.cpuUtil() - e.getValue()) > tolerance) {
                return false;
            }
        }
        return true;
    }
}
