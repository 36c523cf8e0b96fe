package io.placewise.bridge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.model.HistoryRecord;
import io.placewise.service.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The balancer's durable state: history records, audits and the migrations of executed plans. */
public final class BalancerRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Double>> LOADS = new TypeReference<>() {
    };

    // ---- history ------------------------------------------------------------------------------

    /** Appends a record and keeps only the newest {@code keep}. */
    public void appendHistory(Connection c, Map<String, Double> loads, String vm, String source, String destination,
                              Instant at, int keep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO balancer_history (recorded_at, load_vector, vm, source, destination) VALUES (?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, write(loads));
            ps.setString(3, vm);
            ps.setString(4, source);
            ps.setString(5, destination);
            ps.executeUpdate();
        }
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM balancer_history ORDER BY id DESC")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        if (ids.size() > keep) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM balancer_history WHERE id <= ?")) {
                del.setLong(1, ids.get(keep));
                del.executeUpdate();
            }
        }
    }

    /** The newest {@code limit} records, newest first. */
    public List<HistoryRecord> history(Connection c, int limit) throws SQLException {
        List<HistoryRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, recorded_at, load_vector, vm, source, destination FROM balancer_history ORDER BY id DESC")) {
            while (rs.next() && out.size() < limit) {
                out.add(new HistoryRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), read(rs.getString(3), LOADS),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return out;
    }

    // ---- audits -------------------------------------------------------------------------------

    public record StoredAudit(String id, String goal, boolean whatIf, boolean executed, String answer, String steps) {
    }

    public void insertAudit(Connection c, String id, Instant at, String goal, boolean whatIf, String answer, String steps)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_audit (id, created_at, goal, what_if, executed, "
                + "answer, steps) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, goal);
            ps.setBoolean(4, whatIf);
            ps.setBoolean(5, false);
            ps.setString(6, answer);
            ps.setString(7, steps);
            ps.executeUpdate();
        }
    }

    public Optional<StoredAudit> audit(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, goal, what_if, executed, answer, steps FROM balancer_audit WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAudit(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6)));
            }
        }
    }

    /** The newest {@code limit} audits, newest first. */
    public List<StoredAudit> audits(Connection c, int limit) throws SQLException {
        List<StoredAudit> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, goal, what_if, executed, answer, steps FROM balancer_audit ORDER BY created_at DESC, id")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredAudit(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    public void markExecuted(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_audit SET executed = ? WHERE id = ?")) {
            ps.setBoolean(1, true);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    // ---- migrations ---------------------------------------------------------------------------

    public record MigrationRow(String id, String auditId, int order, String action, String vm, String source,
                               String destination, String strategy, String state, String remoteId, String result,
                               String error, Instant createdAt, Instant updatedAt) {
    }

    public void insertMigration(Connection c, MigrationRow m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_migration (id, audit_id, plan_order, action, vm, "
                + "source, destination, strategy, state, remote_id, result, error, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.id());
            ps.setString(2, m.auditId());
            ps.setInt(3, m.order());
            ps.setString(4, m.action());
            ps.setString(5, m.vm());
            ps.setString(6, m.source());
            ps.setString(7, m.destination());
            ps.setString(8, m.strategy());
            ps.setString(9, m.state());
            ps.setString(10, m.remoteId());
            ps.setString(11, m.result());
            ps.setString(12, m.error());
            ps.setTimestamp(13, Timestamp.from(m.createdAt()));
            ps.setTimestamp(14, Timestamp.from(m.updatedAt()));
            ps.executeUpdate();
        }
    }

    public void updateMigration(Connection c, String id, String state, String remoteId, String result, String error)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_migration SET state = ?, remote_id = COALESCE(?, remote_id), "
                + "result = COALESCE(?, result), error = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setString(2, remoteId);
            ps.setString(3, result);
            ps.setString(4, error == null ? null : error.substring(0, Math.min(4000, error.length())));
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.setString(6, id);
            ps.executeUpdate();
        }
    }

    private static final String MIGRATION_COLUMNS = "id, audit_id, plan_order, action, vm, source, destination, strategy, "
            + "state, remote_id, result, error, created_at, updated_at FROM balancer_migration";

    /** Every migration, newest plan first, each plan in its order. */
    public List<MigrationRow> migrations(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT " + MIGRATION_COLUMNS + " ORDER BY created_at DESC, audit_id, plan_order")) {
            return rows(rs);
        }
    }

    public List<MigrationRow> migrationsOf(Connection c, String auditId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MIGRATION_COLUMNS + " WHERE audit_id = ? ORDER BY plan_order")) {
            ps.setString(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        }
    }

    public Optional<MigrationRow> migration(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MIGRATION_COLUMNS + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<MigrationRow> r = rows(rs);
                return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
            }
        }
    }

    /**
     * After a restart nothing follows the plans that were running: a running step may or may not have
     * finished on the agent, a queued one never started. Both are closed with a clear error.
     */
    public int closeInterrupted(Connection c) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_migration SET state = 'failed', error = ?, updated_at = ? "
                + "WHERE state = 'running'")) {
            ps.setString(1, "the bridge restarted while this migration ran; check the migrator agent of the source host");
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            n += ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_migration SET state = 'aborted', error = ?, updated_at = ? "
                + "WHERE state = 'queued'")) {
            ps.setString(1, "not started: the bridge restarted before this step");
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            n += ps.executeUpdate();
        }
        return n;
    }

    private static List<MigrationRow> rows(ResultSet rs) throws SQLException {
        List<MigrationRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new MigrationRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                    rs.getString(11), rs.getString(12), rs.getTimestamp(13).toInstant(), rs.getTimestamp(14).toInstant()));
        }
        return out;
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored balancer data is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
