package io.placewise.bridge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.Goal;
import io.placewise.balancer.PlannedMove;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.StepState;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HotspotDetector;
import io.placewise.model.WorkloadClass;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The balancer's durable state: history records, audits with their planned moves, and the executed
 * steps ({@code /v1/migrations}). It stores the domain's values in its own columns and JSON fields,
 * never the API's representations.
 */
public final class BalancerRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Double>> LOADS = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<StoredHotspot>> HOTSPOTS = new TypeReference<>() {
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

    /**
     * An audit as kept: what the planner found and proposed, and what became of it.
     *
     * @param followUpOf the audit whose balloon step this re-judgement follows, or null
     */
    public record StoredAudit(String id, Instant createdAt, AuditOutcome outcome, boolean dryRun, boolean whatIf,
                              boolean executed, Instant cancelledAt, String followUpOf) {
        public boolean cancelled() {
            return cancelledAt != null;
        }
    }

    /** The stored form of a hotspot judgement. */
    record StoredHotspot(String host, boolean cpu, boolean memory, boolean network, List<String> reasons) {
    }

    public void insertAudit(Connection c, StoredAudit a) throws SQLException {
        AuditOutcome o = a.outcome();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_audit (id, created_at, goal, what_if, executed, "
                + "dry_run, triggered, c_avg, c_m, threshold, projected_cm, decision_ms, history_record_id, hotspots, "
                + "projected, notes, follow_up_of, freed_hosts, woken_hosts) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setTimestamp(2, Timestamp.from(a.createdAt()));
            ps.setString(3, o.goal().wireName());
            ps.setBoolean(4, a.whatIf());
            ps.setBoolean(5, false);
            ps.setBoolean(6, a.dryRun());
            ps.setBoolean(7, o.triggered());
            ps.setDouble(8, o.cAvg());
            ps.setDouble(9, o.cM());
            ps.setDouble(10, o.threshold());
            ps.setDouble(11, o.projectedCm());
            ps.setDouble(12, o.decisionMs());
            setLong(ps, 13, o.historyRecordId());
            ps.setString(14, write(o.hotspots().stream().map(j -> new StoredHotspot(j.host(), j.cpu(), j.memory(),
                    j.network(), j.reasons())).toList()));
            ps.setString(15, write(o.projected()));
            ps.setString(16, write(o.notes()));
            ps.setString(17, a.followUpOf());
            ps.setString(18, write(o.freedHosts()));
            ps.setString(19, write(o.wokenHosts()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_plan_step (audit_id, plan_order, action, vm, "
                + "source, destination, strategy, amount_mb, reason, workload, memory_mb, load_vector, history_record_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (PlannedMove m : o.plan()) {
                ps.setString(1, a.id());
                ps.setInt(2, m.order());
                ps.setString(3, m.action().wireName());
                ps.setString(4, m.vm());
                ps.setString(5, m.source());
                ps.setString(6, m.destination());
                ps.setString(7, m.strategy() == null ? null : m.strategy().wireName());
                ps.setLong(8, m.amountMb());
                ps.setString(9, m.reason() == null ? "" : m.reason());
                ps.setString(10, (m.workload() == null ? WorkloadClass.MIXED : m.workload()).wireName());
                ps.setLong(11, m.memoryMb());
                ps.setString(12, write(m.loadsBefore()));
                setLong(ps, 13, m.historyRecordId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public Optional<StoredAudit> audit(Connection c, String id) throws SQLException {
        List<PlannedMove> plan = plan(c, id);
        try (PreparedStatement ps = c.prepareStatement("SELECT created_at, goal, what_if, executed, dry_run, triggered, c_avg, "
                + "c_m, threshold, projected_cm, decision_ms, history_record_id, hotspots, projected, notes, cancelled_at, "
                + "follow_up_of, freed_hosts, woken_hosts FROM balancer_audit WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String goalName = rs.getString(2);
                Goal goal = Goal.fromWire(goalName).orElseThrow(() -> new StoreException(
                        "audit " + id + " has an unknown goal '" + goalName + "'", null));
                List<HotspotDetector.Judgement> hotspots = new ArrayList<>();
                for (StoredHotspot h : readOr(rs.getString(13), HOTSPOTS, List.of())) {
                    hotspots.add(new HotspotDetector.Judgement(h.host(), h.cpu(), h.memory(), h.network(),
                            h.reasons() == null ? List.of() : h.reasons()));
                }
                AuditOutcome outcome = new AuditOutcome(goal, rs.getBoolean(6), rs.getDouble(7), rs.getDouble(8),
                        rs.getDouble(9), hotspots, getLong(rs, 12), plan, readOr(rs.getString(14), LOADS, new LinkedHashMap<>()),
                        rs.getDouble(10), readOr(rs.getString(15), STRINGS, List.of()), rs.getDouble(11),
                        readOr(rs.getString(18), STRINGS, List.of()), readOr(rs.getString(19), STRINGS, List.of()));
                return Optional.of(new StoredAudit(id, rs.getTimestamp(1).toInstant(), outcome, rs.getBoolean(5),
                        rs.getBoolean(3), rs.getBoolean(4), instant(rs, 16), rs.getString(17)));
            }
        }
    }

    /** One line of {@code GET /v1/audits}: an audit without its plan, with its steps' states. */
    public record AuditSummary(String id, Instant createdAt, String goal, boolean triggered, boolean dryRun, boolean whatIf,
                               boolean executed, boolean cancelled, int planSize, double cM, double decisionMs,
                               List<StepState> stepStates) {
    }

    /** The newest {@code limit} audits, newest first. */
    public List<AuditSummary> audits(Connection c, int limit) throws SQLException {
        List<AuditSummary> out = new ArrayList<>();
        Map<String, Integer> planSizes = new HashMap<>();
        Map<String, List<StepState>> states = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, created_at, goal, triggered, dry_run, what_if, executed, "
                + "cancelled_at, c_m, decision_ms FROM balancer_audit ORDER BY created_at DESC, id")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditSummary(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), instant(rs, 8) != null,
                            0, rs.getDouble(9), rs.getDouble(10), List.of()));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        String in = String.join(", ", java.util.Collections.nCopies(out.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, COUNT(*) FROM balancer_plan_step WHERE audit_id IN ("
                + in + ") GROUP BY audit_id")) {
            bindIds(ps, out);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    planSizes.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, state FROM balancer_migration WHERE audit_id IN ("
                + in + ")")) {
            bindIds(ps, out);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(StepState.fromWire(rs.getString(2)).orElse(StepState.FAILED));
                }
            }
        }
        return out.stream().map(a -> new AuditSummary(a.id(), a.createdAt(), a.goal(), a.triggered(), a.dryRun(), a.whatIf(),
                a.executed(), a.cancelled(), planSizes.getOrDefault(a.id(), 0), a.cM(), a.decisionMs(),
                List.copyOf(states.getOrDefault(a.id(), List.of())))).toList();
    }

    private static void bindIds(PreparedStatement ps, List<AuditSummary> audits) throws SQLException {
        for (int i = 0; i < audits.size(); i++) {
            ps.setString(i + 1, audits.get(i).id());
        }
    }

    /** The audit's planned moves in order. */
    public List<PlannedMove> plan(Connection c, String auditId) throws SQLException {
        List<PlannedMove> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT plan_order, action, vm, source, destination, strategy, "
                + "amount_mb, reason, workload, memory_mb, load_vector, history_record_id FROM balancer_plan_step "
                + "WHERE audit_id = ? ORDER BY plan_order")) {
            ps.setString(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(move(rs, 1));
                }
            }
        }
        return out;
    }

    private static PlannedMove move(ResultSet rs, int from) throws SQLException {
        String strategy = rs.getString(from + 5);
        return new PlannedMove(rs.getInt(from), PlannedMove.Action.fromWire(rs.getString(from + 1)), rs.getString(from + 2),
                rs.getString(from + 3), rs.getString(from + 4), strategy == null ? null : MigrationStrategy.fromWire(strategy),
                rs.getLong(from + 6), rs.getString(from + 7),
                WorkloadClass.fromWire(rs.getString(from + 8)).orElse(WorkloadClass.MIXED), rs.getLong(from + 9),
                readOr(rs.getString(from + 10), LOADS, new LinkedHashMap<>()), getLong(rs, from + 11));
    }

    /** Marks the audit executed unless it already was or was cancelled; true when this call did. */
    public boolean markExecuted(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE balancer_audit SET executed = ? WHERE id = ? AND executed = ? AND cancelled_at IS NULL")) {
            ps.setBoolean(1, true);
            ps.setString(2, id);
            ps.setBoolean(3, false);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records the operator's cancel (once). */
    public void markCancelled(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE balancer_audit SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL")) {
            ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    // ---- hosts switched on and off by a plan (consolidation) ---------------------------------

    /**
     * What executing an audit's plan did to one of its hosts: {@code action} switch_on (a woken host,
     * before the first step) or switch_off (a freed host, once the plan ended); {@code outcome} done,
     * kept (left as it was: {@code note} says why) or failed ({@code note} has the error).
     */
    public record HostSwitch(String auditId, String host, String action, String outcome, String note, Instant at) {
        public static final String SWITCH_ON = "switch_on";
        public static final String SWITCH_OFF = "switch_off";
        public static final String DONE = "done";
        public static final String KEPT = "kept";
        public static final String FAILED = "failed";
    }

    /** Records a switch; a second record of the same host and action for the audit is ignored. */
    public void insertHostSwitch(Connection c, HostSwitch h) throws SQLException {
        try (PreparedStatement check = c.prepareStatement(
                "SELECT 1 FROM balancer_host_switch WHERE audit_id = ? AND host = ? AND action = ?")) {
            check.setString(1, h.auditId());
            check.setString(2, h.host());
            check.setString(3, h.action());
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_host_switch (audit_id, host, action, outcome, "
                + "note, switched_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, h.auditId());
            ps.setString(2, h.host());
            ps.setString(3, h.action());
            ps.setString(4, h.outcome());
            ps.setString(5, h.note());
            ps.setObject(6, OffsetDateTime.ofInstant(h.at(), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** The audit's host switches in the order made. */
    public List<HostSwitch> hostSwitchesOf(Connection c, String auditId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, host, action, outcome, note, switched_at "
                + "FROM balancer_host_switch WHERE audit_id = ? ORDER BY switched_at, host")) {
            ps.setString(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                List<HostSwitch> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new HostSwitch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
                return out;
            }
        }
    }

    // ---- executed steps -----------------------------------------------------------------------

    public void insertStep(Connection c, ExecutionStep s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_migration (id, audit_id, plan_order, action, vm, "
                + "source, destination, strategy, planned_strategy, state, remote_id, result, error, reconciling, "
                + "created_at, updated_at, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            PlannedMove m = s.move();
            ps.setString(1, s.id());
            ps.setString(2, s.auditId());
            ps.setInt(3, m.order());
            ps.setString(4, m.action().wireName());
            ps.setString(5, m.vm());
            ps.setString(6, m.source());
            ps.setString(7, m.destination());
            ps.setString(8, s.ordered() == null ? null : s.ordered().wireName());
            ps.setString(9, m.strategy() == null ? null : m.strategy().wireName());
            ps.setString(10, s.state().wireName());
            ps.setString(11, s.remoteId());
            ps.setString(12, s.result().isEmpty() ? null : write(s.result()));
            ps.setString(13, clip(s.error()));
            ps.setBoolean(14, s.reconciling());
            ps.setTimestamp(15, Timestamp.from(s.createdAt()));
            ps.setTimestamp(16, Timestamp.from(Instant.now()));
            setInstant(ps, 17, s.startedAt());
            setInstant(ps, 18, s.endedAt());
            ps.executeUpdate();
        }
    }

    public void updateStep(Connection c, ExecutionStep s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_migration SET state = ?, remote_id = ?, result = ?, "
                + "error = ?, reconciling = ?, updated_at = ?, started_at = ?, ended_at = ?, strategy_used = ? WHERE id = ?")) {
            ps.setString(1, s.state().wireName());
            ps.setString(2, s.remoteId());
            ps.setString(3, s.result().isEmpty() ? null : write(s.result()));
            ps.setString(4, clip(s.error()));
            ps.setBoolean(5, s.reconciling());
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            setInstant(ps, 7, s.startedAt());
            setInstant(ps, 8, s.endedAt());
            ps.setString(9, strategyUsed(s));
            ps.setString(10, s.id());
            ps.executeUpdate();
        }
    }

    /** A step row with its planned move; the row's own copy of the move when the plan row is missing. */
    private static final String STEP_COLUMNS = "m.id, m.audit_id, m.state, m.strategy, m.remote_id, m.result, m.error, "
            + "m.reconciling, m.created_at, m.started_at, m.ended_at, m.updated_at, "
            + "m.plan_order, m.action, m.vm, m.source, m.destination, m.planned_strategy, "
            + "p.plan_order, p.action, p.vm, p.source, p.destination, p.strategy, p.amount_mb, p.reason, p.workload, "
            + "p.memory_mb, p.load_vector, p.history_record_id "
            + "FROM balancer_migration m LEFT JOIN balancer_plan_step p ON p.audit_id = m.audit_id AND p.plan_order = m.plan_order";

    /** An executed step as stored, with when it was last written. */
    public record StepRow(ExecutionStep step, Instant updatedAt) {
    }

    /** Every executed step, newest plan first, each plan in its order. */
    public List<StepRow> steps(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT " + STEP_COLUMNS + " ORDER BY m.created_at DESC, m.audit_id, m.plan_order")) {
            return rows(rs);
        }
    }

    public List<StepRow> stepsOf(Connection c, String auditId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " WHERE m.audit_id = ? ORDER BY m.plan_order")) {
            ps.setString(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        }
    }

    public Optional<StepRow> step(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " WHERE m.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<StepRow> r = rows(rs);
                return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
            }
        }
    }

    /** Audits with a step queued, running or being reconciled, oldest first. */
    public List<String> auditsWithActiveSteps(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, MIN(created_at) FROM balancer_migration "
                + "WHERE state IN ('queued', 'running') OR reconciling = ? GROUP BY audit_id ORDER BY MIN(created_at)")) {
            ps.setBoolean(1, true);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Migrations started at or after {@code since}, whatever became of them. */
    public int migrationsStartedSince(Connection c, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM balancer_migration WHERE action = 'migrate' AND started_at >= ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** VMs whose migration completed at or after {@code since}, with the latest completion. */
    public Map<String, Instant> migratedSince(Connection c, Instant since) throws SQLException {
        return endedSince(c, since, "state = 'completed'");
    }

    /** VMs whose migration failed or was aborted at or after {@code since}, with the latest such end. */
    public Map<String, Instant> failedSince(Connection c, Instant since) throws SQLException {
        return endedSince(c, since, "state IN ('failed', 'aborted')");
    }

    private static Map<String, Instant> endedSince(Connection c, Instant since, String states) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT vm, MAX(ended_at) FROM balancer_migration "
                + "WHERE action = 'migrate' AND " + states + " AND ended_at >= ? GROUP BY vm")) {
            ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        return out;
    }

    private static List<StepRow> rows(ResultSet rs) throws SQLException {
        List<StepRow> out = new ArrayList<>();
        while (rs.next()) {
            PlannedMove move;
            if (rs.getString(20) != null) {
                move = move(rs, 19);
            } else {
                String planned = rs.getString(18);
                move = new PlannedMove(rs.getInt(13), PlannedMove.Action.fromWire(rs.getString(14)), rs.getString(15),
                        rs.getString(16), rs.getString(17), planned == null ? null : MigrationStrategy.fromWire(planned), 0,
                        "", WorkloadClass.MIXED, 0, Map.of(), null);
            }
            String ordered = rs.getString(4);
            String result = rs.getString(6);
            ExecutionStep step = new ExecutionStep(rs.getString(1), rs.getString(2), move,
                    ordered == null ? null : MigrationStrategy.fromWire(ordered),
                    StepState.fromWire(rs.getString(3)).orElse(StepState.FAILED), rs.getString(5),
                    result == null ? Map.of() : read(result, OBJECT), rs.getString(7), rs.getBoolean(8),
                    rs.getTimestamp(9).toInstant(), instant(rs, 10), instant(rs, 11));
            out.add(new StepRow(step, rs.getTimestamp(12).toInstant()));
        }
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The agent's {@code strategy_used} from the step's result, when it reported one. */
    private static String strategyUsed(ExecutionStep s) {
        Object used = s.result().get("strategy_used");
        return used instanceof String text && !text.isBlank() ? clip(text, 32) : null;
    }

    private static String clip(String s, int max) {
        return s.substring(0, Math.min(max, s.length()));
    }

    private static String clip(String s) {
        return s == null ? null : s.substring(0, Math.min(4000, s.length()));
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void setInstant(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
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

    private static <T> T readOr(String json, TypeReference<T> type, T dflt) {
        return json == null || json.isBlank() ? dflt : read(json, type);
    }
}
