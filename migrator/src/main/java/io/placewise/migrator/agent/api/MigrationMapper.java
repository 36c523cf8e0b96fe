package io.placewise.migrator.agent.api;

import io.placewise.migrator.agent.store.MigrationRecord;

/** Turns stored migrations into their wire shape. */
public final class MigrationMapper {
    private MigrationMapper() {
    }

    public static MigrationDtos.MigrationView view(MigrationRecord r) {
        return new MigrationDtos.MigrationView(r.id(), r.domain(), r.destinationUri(), r.strategyRequested().wireName(),
                r.state().wireName(), r.strategyUsed() == null ? null : r.strategyUsed().wireName(), r.reason(),
                r.rounds().stream().map(x -> new MigrationDtos.RoundView(x.iteration(), x.dirtyRateMbps(),
                        x.transferRateMbps(), x.remainingMib(), x.cpuSharePct())).toList(),
                r.maxDowntimeMs(), r.bandwidthMbps(), r.downtimeMs(), r.totalMs(), r.dataMb(), r.error(),
                r.createdAt(), r.updatedAt());
    }
}
