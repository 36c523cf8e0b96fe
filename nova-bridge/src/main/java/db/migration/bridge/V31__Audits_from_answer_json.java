package db.migration.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 11: audits written before V30 kept the API's JSON answer and a JSON step list; this fills the
 * columns and plan steps of V30 from them, so that V32 can drop the JSON. Executed steps that never
 * started (recorded then as {@code aborted} with "not started: …") become {@code skipped}.
 */
public class V31__Audits_from_answer_json extends BaseJavaMigration {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, answer, steps FROM balancer_audit")) {
            while (rs.next()) {
                convert(c, rs.getString(1), JSON.readTree(rs.getString(2)), JSON.readTree(rs.getString(3)));
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE balancer_migration SET state = 'skipped' WHERE state = 'aborted' AND error LIKE 'not started%'");
            s.executeUpdate("UPDATE balancer_migration SET planned_strategy = strategy");
            s.executeUpdate("UPDATE balancer_migration SET started_at = created_at WHERE state IN ('running', 'completed', "
                    + "'failed', 'aborted')");
            s.executeUpdate("UPDATE balancer_migration SET ended_at = updated_at WHERE state IN ('completed', 'failed', "
                    + "'aborted', 'skipped')");
        }
    }

    private static void convert(Connection c, String id, JsonNode a, JsonNode steps) throws Exception {
        JsonNode m = a.path("metrics");
        ArrayNode hotspots = JSON.createArrayNode();
        for (JsonNode h : m.path("hotspot_details")) {
            ObjectNode o = hotspots.addObject();
            o.put("host", h.path("host").asText());
            o.put("cpu", h.path("cpu").asBoolean());
            o.put("memory", h.path("memory").asBoolean());
            o.put("network", h.path("network").asBoolean());
            ArrayNode reasons = o.putArray("reasons");
            if (!h.path("reason").asText("").isEmpty()) {
                reasons.add(h.path("reason").asText());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE balancer_audit SET dry_run = ?, triggered = ?, c_avg = ?, "
                + "c_m = ?, threshold = ?, projected_cm = ?, decision_ms = ?, history_record_id = ?, hotspots = ?, "
                + "projected = ?, notes = ?, freed_hosts = ?, woken_hosts = ? WHERE id = ?")) {
            ps.setBoolean(1, a.path("dry_run").asBoolean(true));
            ps.setBoolean(2, a.path("triggered").asBoolean());
            ps.setDouble(3, m.path("c_avg").asDouble());
            ps.setDouble(4, m.path("c_m").asDouble());
            ps.setDouble(5, m.path("threshold").asDouble());
            ps.setDouble(6, m.path("projected_cm").asDouble());
            ps.setDouble(7, a.path("decision_ms").asDouble());
            JsonNode record = a.path("history_match").path("record_id");
            if (record.canConvertToLong()) {
                ps.setLong(8, record.asLong());
            } else {
                ps.setNull(8, java.sql.Types.BIGINT);
            }
            ps.setString(9, JSON.writeValueAsString(hotspots));
            ps.setString(10, JSON.writeValueAsString(a.path("projected").isObject() ? a.path("projected") : JSON.createObjectNode()));
            ps.setString(11, JSON.writeValueAsString(a.path("notes").isArray() ? a.path("notes") : JSON.createArrayNode()));
            ps.setString(12, JSON.writeValueAsString(a.path("freed_hosts").isArray() ? a.path("freed_hosts") : JSON.createArrayNode()));
            ps.setString(13, JSON.writeValueAsString(a.path("woken_hosts").isArray() ? a.path("woken_hosts") : JSON.createArrayNode()));
            ps.setString(14, id);
            ps.executeUpdate();
        }
        Map<Integer, JsonNode> stored = new HashMap<>();
        for (JsonNode s : steps) {
            stored.put(s.path("order").asInt(), s);
        }
        for (JsonNode p : a.path("plan")) {
            int order = p.path("order").asInt();
            JsonNode s = stored.getOrDefault(order, JSON.createObjectNode());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO balancer_plan_step (audit_id, plan_order, action, vm, "
                    + "source, destination, strategy, amount_mb, reason, workload, memory_mb, load_vector, history_record_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setInt(2, order);
                ps.setString(3, p.path("action").asText("migrate"));
                ps.setString(4, p.path("vm").asText());
                ps.setString(5, p.path("source").asText());
                ps.setString(6, p.path("destination").asText());
                ps.setString(7, p.hasNonNull("strategy") ? p.get("strategy").asText() : null);
                ps.setLong(8, p.path("amount_mb").asLong(s.path("amount_mb").asLong(0)));
                ps.setString(9, p.path("reason").asText(""));
                ps.setString(10, "mixed");
                ps.setLong(11, 0);
                ps.setString(12, JSON.writeValueAsString(s.path("loads_before").isObject() ? s.path("loads_before")
                        : JSON.createObjectNode()));
                if (p.path("history_record_id").canConvertToLong()) {
                    ps.setLong(13, p.path("history_record_id").asLong());
                } else {
                    ps.setNull(13, java.sql.Types.BIGINT);
                }
                ps.executeUpdate();
            }
        }
    }
}
