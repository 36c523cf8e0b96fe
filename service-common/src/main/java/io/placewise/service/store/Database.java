package io.placewise.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool (HikariCP) over H2 or PostgreSQL, with the schema brought up by Flyway.
 *
 * <p>A commit returns only once the transaction is in the database file, so a 2xx answered after
 * it survives {@code kill -9} of the service:
 * <ul>
 *   <li>H2 (2.x, MVStore) leaves commits to a background writer ({@code WRITE_DELAY}, 500 ms by
 *       default), so a process killed inside that window loses transactions it has reported
 *       committed. With {@code WRITE_DELAY=0} every commit writes its chunk to the file before
 *       {@code commit()} returns ({@code TransactionStore.endTransaction} calls
 *       {@code MVStore.commit()}, which waits for the write). After a kill, H2's quick recovery can settle on an older chunk than the newest
 *       complete one: {@link H2Recovery} opens such a file in MVStore's recovery mode first. H2 does
 *       not fsync a commit, so an
 *       operating-system crash or a power cut can still lose the last commits: use PostgreSQL where
 *       that matters.</li>
 *   <li>PostgreSQL: {@code synchronous_commit} is raised from {@code off} to {@code on} for our
 *       sessions (stronger settings are kept), and {@code fsync = off} is reported at start.</li>
 * </ul>
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** H2: write each commit to the file before commit() returns. */
    static final String H2_DURABLE = ";WRITE_DELAY=0";
    /** PostgreSQL: never acknowledge a commit before its WAL is flushed (only "off" is raised). */
    static final String PG_DURABLE = "SELECT set_config('synchronous_commit', 'on', false) "
            + "WHERE current_setting('synchronous_commit') = 'off'";

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens the pool and applies the pending Flyway migrations found at {@code migrations}
     * (e.g. {@code classpath:db/migration}).
     */
    public static Database open(String url, String user, String password, int poolSize, MeterRegistry metrics,
                                String migrations) {
        H2Recovery.recoverIfUnclean(url);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(durable(url));
        if (url.startsWith("jdbc:postgresql:")) {
            cfg.setConnectionInitSql(PG_DURABLE);
        }
        if (!user.isEmpty()) {
            cfg.setUsername(user);
            cfg.setPassword(password);
        }
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("placewise");
        cfg.setAutoCommit(true);
        if (metrics != null) {
            cfg.setMetricRegistry(metrics);
        }
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            if (url.startsWith("jdbc:postgresql:")) {
                warnIfFsyncIsOff(ds);
            }
            Flyway.configure().dataSource(ds).locations(migrations).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /** {@code url} with the settings that make a commit durable (an explicit WRITE_DELAY is kept). */
    static String durable(String url) {
        boolean h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        if (!h2File) {
            return url;
        }
        if (url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) {
            if (!url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=0")) {
                LOG.warn("database_url sets WRITE_DELAY: commits acknowledged within that delay are lost if the process dies");
            }
            return url;
        }
        return url + H2_DURABLE;
    }

    private static void warnIfFsyncIsOff(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW fsync")) {
            if (rs.next() && "off".equalsIgnoreCase(rs.getString(1))) {
                LOG.warn("PostgreSQL runs with fsync = off: a crash of its machine can lose acknowledged writes");
            }
        } catch (SQLException e) {
            LOG.warn("cannot read PostgreSQL's fsync setting: {}", e.getMessage());
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** True when the database answers within a second. */
    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Runs {@code work} in one transaction: all of it lands or none of it. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** Work against one connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
