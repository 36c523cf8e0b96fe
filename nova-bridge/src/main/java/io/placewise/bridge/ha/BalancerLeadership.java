package io.placewise.bridge.ha;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one active balancer among the bridges on one PostgreSQL database: the one holding the
 * session-level advisory lock {@link #LOCK_KEY} on a dedicated connection. A session lock ends with its
 * session, so a killed bridge (kill -9) releases it at once, and one cut off from the database loses it
 * when the server drops the session: the session asks the server to probe it (TCP keepalives, a user
 * timeout) and to end it when it stays idle ({@code idle_session_timeout}) although the leader checks it
 * every {@link #CHECK}. The others try again every {@link #RETRY}. The leader checks its session every
 * {@link #CHECK} and steps down at once when the check fails.
 *
 * <p>On another database (H2, one bridge alone) this bridge leads from the start.
 */
public final class BalancerLeadership implements AutoCloseable {
    /** The advisory lock's key (advisory locks are per database): "placewise" in ASCII. */
    public static final long LOCK_KEY = 0x706c616365776973L;
    /** How often a standby tries to take the lock. */
    static final Duration RETRY = Duration.ofSeconds(2);
    /** How often the leader checks that its session (and so the lock) is alive. */
    static final Duration CHECK = Duration.ofSeconds(2);
    /** The server ends the leader's session when it has not heard from it for this long. */
    static final Duration SERVER_IDLE_LIMIT = Duration.ofSeconds(8);
    private static final Logger LOG = LoggerFactory.getLogger(BalancerLeadership.class);

    /** What leading means for the bridge: start or stop executing plans and periodic audits. */
    public interface Role {
        void lead();

        void stepDown();
    }

    private final String url;
    private final Properties login;
    private final Role role;
    private final boolean shared;
    private volatile boolean leading;
    private volatile boolean open = true;
    private volatile Connection session;
    private Thread thread;

    private BalancerLeadership(String url, Properties login, Role role, boolean shared) {
        this.url = url;
        this.login = login;
        this.role = role;
        this.shared = shared;
    }

    /**
     * Starts competing for the leadership on PostgreSQL ({@code shared}); elsewhere leads at once.
     *
     * @param instance this bridge's id, in the lock session's application name
     */
    public static BalancerLeadership start(String url, String user, String password, boolean shared, String instance,
                                           Role role) {
        BalancerLeadership l = new BalancerLeadership(url, Sessions.login(user, password, "placewise-bridge leader " + instance),
                role, shared);
        if (!shared) {
            l.leading = true;
            role.lead();
            return l;
        }
        l.thread = new Thread(l::run, "placewise-leadership");
        l.thread.setDaemon(true);
        l.thread.start();
        return l;
    }

    /** This bridge holds the leadership now. */
    public boolean leading() {
        return leading;
    }

    /**
     * Checks right now that the leadership is still held (before ordering a migration): the lock's
     * session answers. Always true when not shared.
     */
    public boolean stillLeading() {
        if (!shared) {
            return true;
        }
        Connection c = session;
        if (!leading || c == null) {
            return false;
        }
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void run() {
        boolean toldStandby = false;
        while (open) {
            try {
                if (session == null) {
                    session = connect();
                }
                if (!leading) {
                    if (tryLock(session)) {
                        leading = true;
                        LOG.info("this bridge leads the balancer (advisory lock {} taken)", LOCK_KEY);
                        role.lead();
                    } else if (!toldStandby) {
                        toldStandby = true;
                        LOG.info("another bridge leads the balancer; this one is standby and tries again every {} s",
                                RETRY.toSeconds());
                    }
                } else if (!session.isValid((int) CHECK.toSeconds())) {
                    throw new SQLException("the leadership session does not answer");
                }
            } catch (SQLException | RuntimeException e) {
                Connection lost = session;
                session = null;
                if (leading) {
                    leading = false;
                    toldStandby = false;
                    LOG.warn("the balancer's leadership is lost ({}); stepping down", e.getMessage());
                    stepDownQuietly();
                } else {
                    LOG.debug("leadership: {}", e.getMessage());
                }
                Sessions.closeQuietly(lost);
            }
            sleep(leading ? CHECK : RETRY);
        }
    }

    private void stepDownQuietly() {
        try {
            role.stepDown();
        } catch (RuntimeException e) {
            LOG.warn("stepping down: {}", e.toString(), e);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, login);
        try (Statement s = c.createStatement()) {
            // The server probes a silent leader and ends its session (and lock) within seconds.
            s.execute("SET tcp_keepalives_idle = 2");
            s.execute("SET tcp_keepalives_interval = 1");
            s.execute("SET tcp_keepalives_count = 3");
            s.execute("SET tcp_user_timeout = 5000");
            s.execute(String.format(Locale.ROOT, "SET idle_session_timeout = %d", SERVER_IDLE_LIMIT.toMillis()));
        } catch (SQLException e) {
            // An older server without one of these settings: the lock still works, failover may be slower.
            LOG.warn("leadership session settings: {}", e.getMessage());
            Sessions.closeQuietly(c);
            c = DriverManager.getConnection(url, login);
        }
        return c;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the leadership up (the lock ends with its session) and stops competing. */
    @Override
    public void close() {
        open = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leading) {
            leading = false;
            stepDownQuietly();
        }
        Sessions.closeQuietly(session);
    }
}
