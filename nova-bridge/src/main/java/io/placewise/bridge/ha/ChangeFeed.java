package io.placewise.bridge.ha;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared state across bridges on one PostgreSQL database: a committed change is announced with
 * {@code NOTIFY placewise_changes} in its own transaction; every bridge {@code LISTEN}s on a dedicated
 * connection and hands what the others changed to {@code receiver}, which reloads only those rows into
 * its in-memory state (the read path stays in memory). Notifications waiting together are merged into
 * one change. Its own notifications are recognised by the instance id and ignored. When the listening
 * connection breaks, it reconnects and reports {@link SharedChange#EVERYTHING}: what it may have missed.
 */
public final class ChangeFeed implements SharedChanges, AutoCloseable {
    public static final String CHANNEL = "placewise_changes";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final String instance = UUID.randomUUID().toString();
    private final String url;
    private final Properties login;
    private volatile Connection listening;
    private volatile boolean open = true;
    private Thread thread;

    private ChangeFeed(String url, Properties login) throws SQLException {
        this.url = url;
        this.login = login;
        this.listening = listen();
    }

    /**
     * Starts listening at once (before the caller loads its state, so nothing committed after the load
     * is missed); changes are handed over from {@link #start}.
     */
    public static ChangeFeed open(String url, String user, String password) {
        try {
            return new ChangeFeed(url, Sessions.login(user, password, "placewise-bridge changes"));
        } catch (SQLException e) {
            throw new io.placewise.service.store.StoreException("database: cannot LISTEN " + CHANNEL + ": " + e.getMessage(), e);
        }
    }

    /** This bridge's id in the notifications (its own are ignored). */
    public String instance() {
        return instance;
    }

    @Override
    public void announce(Connection c, SharedChange change) throws SQLException {
        if (change.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String payload : change.payloads(instance)) {
                ps.setString(1, CHANNEL);
                ps.setString(2, payload);
                ps.execute();
            }
        }
    }

    /** Hands the other bridges' changes to {@code receiver}, on a thread of its own. */
    public void start(Consumer<SharedChange> receiver) {
        thread = new Thread(() -> run(receiver), "placewise-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(url, login);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    private void run(Consumer<SharedChange> receiver) {
        while (open) {
            try {
                if (listening == null) {
                    listening = listen();
                    LOG.info("listening to {} again; reloading what may have changed meanwhile", CHANNEL);
                    receiver.accept(SharedChange.EVERYTHING);
                }
                PGNotification[] got = listening.unwrap(PGConnection.class).getNotifications(500);
                SharedChange change = SharedChange.NONE;
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    SharedChange.Received r = SharedChange.decode(n.getParameter());
                    if (!r.from().equals(instance)) {
                        change = change.and(r.change());
                    }
                }
                if (!change.isEmpty()) {
                    receiver.accept(change);
                }
            } catch (SQLException e) {
                if (!open) {
                    return;
                }
                LOG.warn("listening to {}: {}; reconnecting", CHANNEL, e.getMessage());
                Sessions.closeQuietly(listening);
                listening = null;
                sleep(1000);
            } catch (RuntimeException e) {
                LOG.warn("applying another bridge's change: {}", e.toString(), e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        Sessions.closeQuietly(listening);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
