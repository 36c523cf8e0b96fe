package io.placewise.migrator;

import java.util.List;

/** An in-memory restore log that also notes its writes in the fake host's call list, to check order. */
final class RecordingRestoreLog implements RestoreLog {
    private final InMemoryRestoreLog log = new InMemoryRestoreLog();
    private final List<String> calls;

    RecordingRestoreLog(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public void record(RestoreEntry entry) {
        calls.add("restoreLog.record");
        log.record(entry);
    }

    @Override
    public void remove(String migrationId) {
        calls.add("restoreLog.remove");
        log.remove(migrationId);
    }

    @Override
    public List<RestoreEntry> pending() {
        return log.pending();
    }
}
