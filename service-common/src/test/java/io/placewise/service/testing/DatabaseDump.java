package io.placewise.service.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Every row of every table of a service's database as text, to assert that a rejected request
 * changed nothing. H2 file databases are shared inside one JVM, so the test opens the service's own.
 */
public final class DatabaseDump {
    private DatabaseDump() {
    }

    public static String of(String jdbcUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equalsIgnoreCase("PUBLIC")) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            tables.sort(null);
            StringBuilder sb = new StringBuilder();
            for (String t : tables) {
                sb.append("== ").append(t).append('\n');
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                    rows.sort(null);
                    rows.forEach(r -> sb.append(r).append('\n'));
                }
            }
            return sb.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot dump " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * H2's store version, read on one connection kept open: it moves with every commit that changed
     * something, so an unchanged version after a request proves nothing was written (cheap enough to
     * ask around every request of the fuzz suite).
     */
    public static java.util.function.Supplier<String> h2Version(String jdbcUrl) {
        Connection c;
        try {
            c = DriverManager.getConnection(jdbcUrl, "", "");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + jdbcUrl + ": " + e.getMessage(), e);
        }
        return () -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM "
                    + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CURRENT_VERSION'")) {
                return rs.next() ? rs.getString(1) : "?";
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the store version: " + e.getMessage(), e);
            }
        };
    }

    /** The rows {@code sql} selects, on one connection kept open (a narrower fingerprint than {@link #h2Version}). */
    public static java.util.function.Supplier<String> rows(String jdbcUrl, String sql) {
        Connection c;
        try {
            c = DriverManager.getConnection(jdbcUrl, "", "");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + jdbcUrl + ": " + e.getMessage(), e);
        }
        return () -> {
            StringBuilder sb = new StringBuilder();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        sb.append(rs.getString(i)).append('|');
                    }
                    sb.append('\n');
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read " + sql + ": " + e.getMessage(), e);
            }
            return sb.toString();
        };
    }

    public static String of(String jdbcUrl) {
        return of(jdbcUrl, "", "");
    }
}
