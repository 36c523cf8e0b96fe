package io.placewise.migrator;

import java.time.Instant;

/**
 * A CPU share to put back (seed 003 §4.1: "the original proportion ... should be saved on first
 * pre-copy round and restored at the end of migration"): written to the {@link RestoreLog} before
 * the share is first changed, removed only once it has been restored.
 */
public record RestoreEntry(String migrationId, String domain, String destinationUri, CpuShare original,
                           Instant recordedAt) {
}
