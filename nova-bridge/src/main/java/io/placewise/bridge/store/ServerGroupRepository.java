package io.placewise.bridge.store;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stores the snapshot's server-group policies ({@code cluster_server_group}); only changed rows are written. */
final class ServerGroupRepository {
    Map<String, GroupPolicy> load(Connection c) throws SQLException {
        Map<String, GroupPolicy> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, policy FROM cluster_server_group ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                GroupPolicy.fromWire(rs.getString(2)).ifPresent(p -> out.put(name, p));
            }
        }
        return out;
    }

    void persist(Connection c, ClusterSnapshot before, ClusterSnapshot after) throws SQLException {
        Map<String, GroupPolicy> old = before.groupPolicies();
        Map<String, GroupPolicy> now = after.groupPolicies();
        if (old.equals(now)) {
            return;
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM cluster_server_group WHERE name = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO cluster_server_group (name, policy) VALUES (?, ?)")) {
            for (var e : old.entrySet()) {
                if (!e.getValue().equals(now.get(e.getKey()))) {
                    del.setString(1, e.getKey());
                    del.addBatch();
                }
            }
            for (var e : now.entrySet()) {
                if (!e.getValue().equals(old.get(e.getKey()))) {
                    ins.setString(1, e.getKey());
                    ins.setString(2, e.getValue().wireName());
                    ins.addBatch();
                }
            }
            del.executeBatch();
            ins.executeBatch();
        }
    }
}
