package io.placewise.bridge.store;

import io.placewise.service.store.StoreException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.scheduler.PolicyOverride;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stores operators' run-time policy changes so that they survive a restart. */
public final class PolicyOverrideRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };

    public Map<String, PolicyOverride> loadAll(Connection c) throws SQLException {
        Map<String, PolicyOverride> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, enabled, multiplier, params FROM policy_override ORDER BY name")) {
            while (rs.next()) {
                Boolean enabled = rs.getBoolean(2);
                if (rs.wasNull()) {
                    enabled = null;
                }
                Double multiplier = rs.getDouble(3);
                if (rs.wasNull()) {
                    multiplier = null;
                }
                out.put(rs.getString(1), new PolicyOverride(enabled, multiplier, parse(rs.getString(4))));
            }
        }
        return out;
    }

    /** The stored override of {@code name}, if there is one. */
    public java.util.Optional<PolicyOverride> load(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT enabled, multiplier, params FROM policy_override WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                Boolean enabled = rs.getBoolean(1);
                if (rs.wasNull()) {
                    enabled = null;
                }
                Double multiplier = rs.getDouble(2);
                if (rs.wasNull()) {
                    multiplier = null;
                }
                return java.util.Optional.of(new PolicyOverride(enabled, multiplier, parse(rs.getString(3))));
            }
        }
    }

    public void save(Connection c, String name, PolicyOverride o) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM policy_override WHERE name = ?")) {
            del.setString(1, name);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO policy_override (name, enabled, multiplier, params, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            if (o.enabled() == null) {
                ps.setNull(2, Types.BOOLEAN);
            } else {
                ps.setBoolean(2, o.enabled());
            }
            if (o.multiplier() == null) {
                ps.setNull(3, Types.DOUBLE);
            } else {
                ps.setDouble(3, o.multiplier());
            }
            ps.setString(4, JSON.writeValueAsString(o.params()));
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            return JSON.readValue(json, PARAMS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored policy parameters are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
