package io.placewise.balancer;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import java.util.List;
import java.util.Optional;

/**
 * Seed 000 §3.1 step 3: the latest history record whose load vector is similar to today's (every host it
 * names within the tolerance), if its source and destination are still usable hosts.
 */
public final class HistoryMatcher {
    private HistoryMatcher() {
    }

    /** @param newestFirst records, newest first, as stored */
    public static Optional<HistoryRecord> match(List<HistoryRecord> newestFirst, ClusterSnapshot cluster, double tolerance) {
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
