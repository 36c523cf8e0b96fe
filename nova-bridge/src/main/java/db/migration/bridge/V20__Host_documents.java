package db.migration.bridge;

import io.placewise.bridge.store.ClusterRepository;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One row per host (issue 10): a host's VMs, the traffic they send and its reports move into JSON
 * columns of {@code cluster_host}, so that a profiler sample is one row write and a whole cluster
 * one row per host. {@code last_sample_at} is when the bridge last received the host's sample
 * (staleness). Portable SQL; the JSON is written by the bridge's own codec.
 */
public class V20__Host_documents extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE cluster_host ADD COLUMN last_sample_at TIMESTAMP WITH TIME ZONE");
            s.execute("ALTER TABLE cluster_host ADD COLUMN vms VARCHAR(1000000) DEFAULT '[]' NOT NULL");
            s.execute("ALTER TABLE cluster_host ADD COLUMN traffic VARCHAR(1000000) DEFAULT '[]' NOT NULL");
            s.execute("ALTER TABLE cluster_host ADD COLUMN reports VARCHAR(100000)");
        }
        ClusterRepository.migrateToHostDocuments(c);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE cluster_traffic");
            s.execute("DROP TABLE cluster_vm");
        }
    }
}
