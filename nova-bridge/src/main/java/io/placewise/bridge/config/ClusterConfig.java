package io.placewise.bridge.config;

import io.placewise.model.Staleness;
import java.time.Duration;

/**
 * {@code [cluster]} of placewise.conf: when a host whose agent stopped reporting counts as stale.
 *
 * @param staleAfterS  a host with no profiler sample for this many seconds is stale (0: never)
 * @param placeOnStale whether placement may still choose stale hosts (Nova's ComputeFilter does not
 *                     schedule to a compute service that stopped reporting); audits never use them
 */
public record ClusterConfig(int staleAfterS, boolean placeOnStale) {
    public static final ClusterConfig DEFAULT = new ClusterConfig(60, false);

    public Staleness staleness() {
        return new Staleness(Duration.ofSeconds(staleAfterS), placeOnStale);
    }
}
