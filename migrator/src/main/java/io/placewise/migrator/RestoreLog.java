package io.placewise.migrator;

import java.util.List;

/**
 * Durable record of the CPU shares the migrator changed and has not yet restored, so that a share
 * is restored on every outcome, agent crashes included ({@link CpuShareRestorer#recoverOnStartup}).
 * {@link #record} must be durable when it returns. Implementations: {@link InMemoryRestoreLog}
 * (tests, development); a JDBC one belongs with the agent's database.
 */
public interface RestoreLog {
    void record(RestoreEntry entry);

    void remove(String migrationId);

    /** Entries not yet restored, oldest first. */
    List<RestoreEntry> pending();
}
