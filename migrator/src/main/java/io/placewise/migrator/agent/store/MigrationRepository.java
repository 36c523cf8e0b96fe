package io.placewise.migrator.agent.store;

import io.placewise.migrator.MigrationResult;
import io.placewise.migrator.MigrationState;
import io.placewise.migrator.RoundReport;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The agent's migrations and their rounds in its database, so that they survive a restart. */
public final class MigrationRepository {
    private static final String COLUMNS = "id, domain, destination_uri, strategy_requested, max_downtime_ms, "
            + "bandwidth_mbps, guest_tolerates_slowing, state, strategy_used, reason, downtime_ms, total_ms, data_mb, "
            + "error, created_at, updated_at";

    private final Database db;

    public MigrationRepository(Database db) {
        this.db = db;
    }

    public void insert(MigrationRecord r) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.domain());
                ps.setString(3, r.destinationUri());
                ps.setString(4, r.strategyRequested().wireName());
                setLong(ps, 5, r.maxDowntimeMs());
                setDouble(ps, 6, r.bandwidthMbps());
                ps.setBoolean(7, r.guestToleratesSlowing());
                ps.setString(8, r.state().wireName());
                ps.setString(9, r.strategyUsed() == null ? null : r.strategyUsed().wireName());
                ps.setString(10, clip(r.reason()));
                setLong(ps, 11, r.downtimeMs());
                setLong(ps, 12, r.totalMs());
                setDouble(ps, 13, r.dataMb());
                ps.setString(14, clip(r.error()));
                ps.setTimestamp(15, Timestamp.from(r.createdAt()));
                ps.setTimestamp(16, Timestamp.from(r.updatedAt()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void state(String id, MigrationState state) {
        update(id, "state = ?", ps -> ps.setString(1, state.wireName()));
    }

    public void strategy(String id, MigrationStrategy used, String reason) {
        update(id, "strategy_used = ?, reason = ?", ps -> {
            ps.setString(1, used.wireName());
            ps.setString(2, clip(reason));
        });
    }

    public void addRound(String id, RoundReport round) {
        db.inTransaction(c -> {
            int seq;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM migration_round WHERE migration_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO migration_round (migration_id, seq, iteration, "
                    + "dirty_rate_mbps, transfer_rate_mbps, remaining_mb, cpu_share_pct) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setInt(2, seq);
                ps.setLong(3, round.iteration());
                ps.setDouble(4, round.dirtyRateMbps());
                ps.setDouble(5, round.transferRateMbps());
                ps.setDouble(6, round.remainingMib());
                ps.setDouble(7, round.cpuSharePct());
                ps.executeUpdate();
            }
            touch(c, id);
            return null;
        });
    }

    /** Stores how the migration ended (the rounds were stored as they came). */
    public void finish(MigrationResult result) {
        update(result.id(), "state = ?, strategy_used = COALESCE(?, strategy_used), reason = ?, downtime_ms = ?, "
                + "total_ms = ?, data_mb = ?, error = ?", ps -> {
            ps.setString(1, result.state().wireName());
            ps.setString(2, result.strategyUsed() == null ? null : result.strategyUsed().wireName());
            ps.setString(3, clip(result.reason()));
            ps.setLong(4, result.downtimeMs());
            ps.setLong(5, result.totalMs());
            ps.setDouble(6, result.dataMib());
            ps.setString(7, clip(result.error()));
        });
    }

    /** Ends a migration that never ran or whose runner is gone, with the reason why. */
    public void end(String id, MigrationState state, String error) {
        update(id, "state = ?, error = ?", ps -> {
            ps.setString(1, state.wireName());
            ps.setString(2, clip(error));
        });
    }

    public Optional<MigrationRecord> find(String id) {
        List<MigrationRecord> found = query("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every migration, newest first. */
    public List<MigrationRecord> list() {
        return query("", null);
    }

    /** Migrations that were queued or running: after a restart, their runner is gone. */
    public List<MigrationRecord> unfinished() {
        return query("WHERE state IN ('queued', 'running')", null);
    }

    private List<MigrationRecord> query(String where, String arg) {
        return db.inTransaction(c -> {
            Map<String, List<RoundReport>> rounds = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT migration_id, iteration, dirty_rate_mbps, "
                    + "transfer_rate_mbps, remaining_mb, cpu_share_pct FROM migration_round"
                    + (arg == null ? "" : " WHERE migration_id = ?") + " ORDER BY migration_id, seq")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rounds.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new RoundReport(
                                rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)));
                    }
                }
            }
            List<MigrationRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM migration " + where
                    + " ORDER BY created_at DESC, id DESC")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        String used = rs.getString(9);
                        out.add(new MigrationRecord(id, rs.getString(2), rs.getString(3),
                                MigrationStrategy.fromWire(rs.getString(4)), getLong(rs, 5), getDouble(rs, 6),
                                rs.getBoolean(7), MigrationState.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)),
                                used == null ? null : MigrationStrategy.fromWire(used), rs.getString(10),
                                rounds.getOrDefault(id, List.of()), getLong(rs, 11), getLong(rs, 12), getDouble(rs, 13),
                                rs.getString(14), rs.getTimestamp(15).toInstant(), rs.getTimestamp(16).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String id, String set, Binder binder) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE migration SET " + set + ", updated_at = ? WHERE id = ?")) {
                binder.bind(ps);
                int n = (int) set.chars().filter(ch -> ch == '?').count();
                ps.setTimestamp(n + 1, Timestamp.from(Instant.now()));
                ps.setString(n + 2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void touch(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE migration SET updated_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Hypervisor messages can be long; the columns are not. */
    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
