package db.migration.bridge;

import io.placewise.bridge.store.ClusterRepository;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One row per host (issue 10; numbered after V70 so that it runs after every migration that still
 * alters cluster_vm, such as V30's tolerates_slowing): a host's VMs, the traffic they send, its sample window and its reports
 * move into the binary {@code cluster_host.contents} (cluster_vm, cluster_traffic and host_sample
 * go), so that a profiler sample is one row update and a whole cluster one row per host.
 * {@code last_sample_at} is when the bridge last received the host's sample (staleness). Portable
 * SQL; the contents are written by the bridge's own codec ({@code HostContents}).
 */
public class V80__One_row_per_host extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE cluster_host ADD COLUMN last_sample_at TIMESTAMP WITH TIME ZONE");
            // BYTEA: PostgreSQL's binary type, an alias of H2's BINARY VARYING. NULL reads as empty.
            s.execute("ALTER TABLE cluster_host ADD COLUMN contents BYTEA");
        }
        ClusterRepository.migrateToHostDocuments(c);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE host_sample");
            s.execute("DROP TABLE cluster_traffic");
            s.execute("DROP TABLE cluster_vm");
        }
    }
}
