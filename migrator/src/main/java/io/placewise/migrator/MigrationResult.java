package io.placewise.migrator;

import io.placewise.precopy.MigrationStrategy;
import java.util.List;

/**
 * How one migration ended: state, the strategy actually used ({@code auto} resolved), whether it
 * was escalated to post-copy, the per-round reports, downtime, total time, data sent (MiB),
 * the error (null on success) and a human-readable account of why it went the way it did.
 */
public record MigrationResult(String id, MigrationState state, MigrationStrategy strategyUsed,
                              boolean postCopyEscalated, List<RoundReport> rounds, long downtimeMs, long totalMs,
                              double dataMib, String error, String reason) {
    public MigrationResult {
        rounds = List.copyOf(rounds);
    }
}
