package io.placewise.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One executed balancing decision (seed 000 §3.1 step 3): the per-host CPU load vector when it was
 * taken, keyed by host name, and the move it made.
 */
public record HistoryRecord(long id, Instant at, Map<String, Double> loadVector, String vm,
                            String source, String destination) {
    /** The similarity tolerance's parameter, as {@code [HistoryMatchWeigher]} names it; the balancer uses the same. */
    public static final String TOLERANCE = "tolerance";
    public static final double DEFAULT_TOLERANCE = 0.05;

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

    /**
     * The one history rule of placement and balancing (seed 000 §3.1 step 3): the newest record whose
     * load vector is similar to today's ({@link #similarTo}) and whose move can still be made (a source
     * and a different destination, both hosts the cluster has). Records are matched on the load
     * distribution only, not on the VM they moved: the paper keys a record by "the mapping" of loads
     * and reuses its source and destination for whatever VM the trigger picks.
     *
     * @param newestFirst records, newest first, as stored
     */
    public static Optional<HistoryRecord> latestSimilar(List<HistoryRecord> newestFirst, ClusterSnapshot cluster,
                                                        double tolerance) {
        for (HistoryRecord r : newestFirst) {
            if (r.source() == null || r.destination() == null || r.source().equals(r.destination())) {
                continue;
            }
            if (cluster.host(r.source()) == null || cluster.host(r.destination()) == null) {
                continue;
            }
            if (r.similarTo(cluster, tolerance)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
