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
}
