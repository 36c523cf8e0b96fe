package io.placewise.migrator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link RestoreLog} in memory: survives a failed runner, not a process; for tests and development. */
public final class InMemoryRestoreLog implements RestoreLog {
    private final Map<String, RestoreEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized void record(RestoreEntry entry) {
        entries.put(entry.migrationId(), entry);
    }

    @Override
    public synchronized void remove(String migrationId) {
        entries.remove(migrationId);
    }

    @Override
    public synchronized List<RestoreEntry> pending() {
        return new ArrayList<>(entries.values());
    }
}
