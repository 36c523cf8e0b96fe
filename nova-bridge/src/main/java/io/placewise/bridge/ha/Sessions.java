package io.placewise.bridge.ha;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Dedicated PostgreSQL sessions (outside the pool): the change feed's and the leadership's. */
final class Sessions {
    private Sessions() {
    }

    static Properties login(String user, String password, String applicationName) {
        Properties p = new Properties();
        if (!user.isEmpty()) {
            p.setProperty("user", user);
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        // Notice a dead server or network within seconds, not after the kernel's two hours.
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return p;
    }

    static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Closing a broken session: nothing to do.
        }
    }
}
