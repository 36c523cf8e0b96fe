package io.placewise.model;

import java.time.Duration;
import java.util.Objects;

/**
 * When a host counts as stale: its agent has sent no profiler sample for {@code after}
 * ({@code [cluster] stale_after_s}; zero: never). A host that never reported is not stale: no
 * agent measures it, so its numbers are whatever the operator or the cloud said. Stale hosts are
 * neither migration sources nor destinations; placement uses them only with {@code placeOnStale}
 * ({@code [cluster] place_on_stale}, like Nova's ComputeFilter for a service that stopped reporting).
 */
public record Staleness(Duration after, boolean placeOnStale) {
    /** Hosts never go stale (snapshots built outside the live store: what-ifs, tests, benchmarks). */
    public static final Staleness NEVER = new Staleness(Duration.ZERO, true);

    public Staleness {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("stale_after must not be negative");
        }
    }
}
