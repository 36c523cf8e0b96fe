package io.placewise.migrator.agent.store;

import io.placewise.migrator.CpuShare;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.RestoreLog;
import io.placewise.service.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's durable {@link RestoreLog} (seed 003 §4.1: the original share is saved before the
 * first change): a row per share not yet restored, committed before {@link #record} returns, so
 * that start-up recovery finds it after a crash.
 */
public final class JdbcRestoreLog implements RestoreLog {
    private final Database db;

    public JdbcRestoreLog(Database db) {
        this.db = db;
    }

    @Override
    public void record(RestoreEntry e) {
        db.inTransaction(c -> {
            // A retried record of the same migration keeps the first original: that is the one to restore.
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM cpu_share_restore WHERE migration_id = ?")) {
                exists.setString(1, e.migrationId());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cpu_share_restore (migration_id, domain, "
                    + "destination_uri, period_us, quota_us, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.migrationId());
                ps.setString(2, e.domain());
                ps.setString(3, e.destinationUri());
                ps.setLong(4, e.original().periodUs());
                ps.setLong(5, e.original().quotaUs());
                ps.setTimestamp(6, Timestamp.from(e.recordedAt()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void remove(String migrationId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cpu_share_restore WHERE migration_id = ?")) {
                ps.setString(1, migrationId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<RestoreEntry> pending() {
        return db.inTransaction(c -> {
            List<RestoreEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT migration_id, domain, destination_uri, period_us, "
                    + "quota_us, recorded_at FROM cpu_share_restore ORDER BY recorded_at, migration_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RestoreEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                            new CpuShare(rs.getLong(4), rs.getLong(5)), rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        });
    }
}
