package io.placewise.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A completed migration as one of its two hosts must remember it until that host reports after it:
 * a profiler sample taken before the move still shows the VM's load on the source (and not yet on
 * the destination), so such a sample is corrected by {@code delta} and cannot move the VM back.
 *
 * @param vm          the migrated VM
 * @param leaving     true on the source (the VM left this host), false on the destination
 * @param completedAt when the bridge learnt that the migration completed
 * @param delta       what the move changed on this host's utilisation (negative on the source)
 */
public record MoveFence(String vm, boolean leaving, Instant completedAt, LoadShift.Delta delta) {
    public MoveFence {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(delta, "delta");
    }
}
