package io.placewise.migrator.agent.store;

import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RoundReport;
import io.placewise.precopy.MigrationStrategy;
import java.time.Instant;
import java.util.List;

/**
 * A migration as the agent keeps it: the order, where it is, the rounds so far and, once over, its
 * result. {@code strategyUsed}, {@code reason} and the result fields are null until known.
 */
public record MigrationRecord(String id, String domain, String destinationUri, MigrationStrategy strategyRequested,
                              Long maxDowntimeMs, Double bandwidthMbps, boolean guestToleratesSlowing,
                              MigrationState state, MigrationStrategy strategyUsed, String reason,
                              List<RoundReport> rounds, Long downtimeMs, Long totalMs, Double dataMb, String error,
                              Instant createdAt, Instant updatedAt) {
    public MigrationRecord {
        rounds = List.copyOf(rounds);
    }

    public boolean finished() {
        return state == MigrationState.COMPLETED || state == MigrationState.FAILED || state == MigrationState.ABORTED;
    }
}
