package io.placewise.migrator;

import java.util.Locale;

/** Where a migration is in its life, as the agent API reports it. */
public enum MigrationState {
    QUEUED, RUNNING, COMPLETED, FAILED, ABORTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
