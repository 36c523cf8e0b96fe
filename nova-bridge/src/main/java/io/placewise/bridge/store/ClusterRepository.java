package io.placewise.bridge.store;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.Staleness;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores the cluster state: one {@code cluster_host} row per host holding its VMs, the traffic they
 * send and its reports as JSON columns ({@link HostDocuments}), and the per-host sample window in
 * {@code host_sample}. A profiler sample is one host's change, so it is one row update and one
 * sample insert; a whole cluster is one row per host, written and read with batched statements.
 *
 * <p>Used by one writer at a time (the {@code ClusterStore}'s), which owns the trim counters.
 */
public final class ClusterRepository {
    private static final int BATCH = 500;
    /** A host's old samples are deleted every this many appended samples (its window is trimmed in memory). */
    static final int TRIM_EVERY = 8;

    private static final String COLUMNS = "vcpus, memory_mb, disk_gb, nic_mbps, cpu_util, mem_util, swap_writes_per_s, "
            + "nic_util, enabled, last_sample_at, vms, traffic, reports";
    private static final String INSERT_HOST = "INSERT INTO cluster_host (" + COLUMNS + ", name) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_HOST = "UPDATE cluster_host SET vcpus = ?, memory_mb = ?, disk_gb = ?, nic_mbps = ?, "
            + "cpu_util = ?, mem_util = ?, swap_writes_per_s = ?, nic_util = ?, enabled = ?, last_sample_at = ?, vms = ?, "
            + "traffic = ?, reports = ? WHERE name = ?";
    private static final String INSERT_SAMPLE = "INSERT INTO host_sample (host, sampled_at, cpu_util, mem_util, "
            + "swap_writes_per_s, nic_util) VALUES (?, ?, ?, ?, ?, ?)";

    private final Map<String, Integer> untrimmed = new HashMap<>();

    /** Loads everything, with each host's newest {@code window} samples oldest first. */
    public ClusterSnapshot load(Connection c, int window, Staleness staleness) throws SQLException {
        ClusterSnapshot.Builder b = new ClusterSnapshot.Builder().staleness(staleness);
        List<Traffic> traffic = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, " + COLUMNS + " FROM cluster_host ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                b.host(new Host(name, new Capacity(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)),
                        rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getBoolean(10)));
                Timestamp last = rs.getTimestamp(11);
                HostDocuments.Reports reports = HostDocuments.reports(rs.getString(14));
                b.reports(name, last == null ? null : last.toInstant(), reports.migratingIn(), reports.fences());
                HostDocuments.vms(name, rs.getString(12)).forEach(b::vm);
                HostDocuments.traffic(rs.getString(13)).forEach((src, to) ->
                        to.forEach((dst, mbps) -> traffic.add(new Traffic(src, dst, mbps))));
            }
        }
        traffic.forEach(b::traffic);
        String host = null;
        List<LoadSample> list = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT host, sampled_at, cpu_util, mem_util, swap_writes_per_s, nic_util "
                     + "FROM host_sample ORDER BY host, sampled_at, id")) {
            while (rs.next()) {
                String h = rs.getString(1);
                if (!h.equals(host)) {
                    keepNewest(b, host, list, window);
                    host = h;
                    list = new ArrayList<>();
                }
                list.add(new LoadSample(rs.getTimestamp(2).toInstant(), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                        rs.getDouble(6)));
            }
        }
        keepNewest(b, host, list, window);
        untrimmed.clear();
        return b.build().canonical();
    }

    private static void keepNewest(ClusterSnapshot.Builder b, String host, List<LoadSample> list, int window) {
        if (host != null) {
            b.samples(host, list.size() > window ? list.subList(list.size() - window, list.size()) : list);
        }
    }

    /**
     * Writes what the editor's kept changes did ({@code delta}) as {@code after} has it: only the
     * rows of the hosts they touched, and the samples they appended.
     */
    public void write(Connection c, ClusterSnapshot after, ClusterEditor.Delta delta) throws SQLException {
        // Deleting a host deletes its samples (ON DELETE CASCADE); a host added again starts afresh.
        batch(c, "DELETE FROM cluster_host WHERE name = ?", delta.deleted(), (ps, name) -> ps.setString(1, name));
        delta.deleted().forEach(untrimmed::remove);
        writeHosts(c, INSERT_HOST, after, delta.inserted());
        writeHosts(c, UPDATE_HOST, after, delta.updated());
        List<String> rewritten = new ArrayList<>(delta.windowsRewritten());
        batch(c, "DELETE FROM host_sample WHERE host = ?", rewritten, (ps, name) -> ps.setString(1, name));
        List<Object[]> samples = new ArrayList<>();
        for (String h : delta.inserted()) {
            after.samples(h).forEach(s -> samples.add(new Object[] {h, s}));
        }
        for (String h : rewritten) {
            after.samples(h).forEach(s -> samples.add(new Object[] {h, s}));
            untrimmed.remove(h);
        }
        for (ClusterEditor.AppendedSample a : delta.appended()) {
            samples.add(new Object[] {a.host(), a.sample()});
        }
        batch(c, INSERT_SAMPLE, samples, (ps, row) -> bindSample(ps, (String) row[0], (LoadSample) row[1]));
        trim(c, after, delta.appended());
    }

    /**
     * Replaces the stored cluster by {@code after} (hosts that remain keep their sample rows): every
     * host row written once, in batches.
     */
    public void replace(Connection c, ClusterSnapshot before, ClusterSnapshot after) throws SQLException {
        List<String> deleted = new ArrayList<>();
        before.hosts().forEach(h -> {
            if (after.host(h.name()) == null) {
                deleted.add(h.name());
            }
        });
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        after.hosts().forEach(h -> (before.host(h.name()) == null ? inserted : updated).add(h.name()));
        batch(c, "DELETE FROM cluster_host WHERE name = ?", deleted, (ps, name) -> ps.setString(1, name));
        deleted.forEach(untrimmed::remove);
        writeHosts(c, INSERT_HOST, after, inserted);
        writeHosts(c, UPDATE_HOST, after, updated);
    }

    /** Deletes samples that fell out of their host's window, for each host every {@link #TRIM_EVERY} appends. */
    private void trim(Connection c, ClusterSnapshot after, List<ClusterEditor.AppendedSample> appended) throws SQLException {
        List<Object[]> due = new ArrayList<>();
        for (ClusterEditor.AppendedSample a : appended) {
            int n = untrimmed.merge(a.host(), 1, Integer::sum);
            List<LoadSample> w = after.samples(a.host());
            if (n >= TRIM_EVERY && !w.isEmpty()) {
                untrimmed.put(a.host(), 0);
                due.add(new Object[] {a.host(), w.get(0).at()});
            }
        }
        // Rows older than the oldest kept sample; ties with it stay (load keeps the newest window).
        batch(c, "DELETE FROM host_sample WHERE host = ? AND sampled_at < ?", due, (ps, row) -> {
            ps.setString(1, (String) row[0]);
            ps.setTimestamp(2, Timestamp.from((Instant) row[1]));
        });
    }

    private static void writeHosts(Connection c, String sql, ClusterSnapshot s, Collection<String> names)
            throws SQLException {
        batch(c, sql, names, (ps, name) -> {
            Host h = s.host(name);
            ps.setInt(1, h.capacity().vcpus());
            ps.setLong(2, h.capacity().memoryMb());
            ps.setLong(3, h.capacity().diskGb());
            ps.setDouble(4, h.capacity().nicMbps());
            ps.setDouble(5, h.cpuUtil());
            ps.setDouble(6, h.memUtil());
            ps.setDouble(7, h.swapWritesPerS());
            ps.setDouble(8, h.nicUtil());
            ps.setBoolean(9, h.enabled());
            Instant last = s.lastSampleAt(name);
            ps.setTimestamp(10, last == null ? null : Timestamp.from(last));
            List<Vm> vms = s.vmsOn(name);
            ps.setString(11, HostDocuments.vms(vms));
            Map<String, Map<String, Double>> sent = new HashMap<>();
            for (Vm v : vms) {
                Map<String, Double> to = s.trafficFrom(v.id());
                if (!to.isEmpty()) {
                    sent.put(v.id(), to);
                }
            }
            ps.setString(12, HostDocuments.traffic(sent));
            ps.setString(13, HostDocuments.reports(s.migratingIn(name), s.fences(name)));
            ps.setString(14, name);
        });
    }

    private static void bindSample(PreparedStatement ps, String host, LoadSample s) throws SQLException {
        ps.setString(1, host);
        ps.setTimestamp(2, Timestamp.from(s.at()));
        ps.setDouble(3, s.cpuUtil());
        ps.setDouble(4, s.memUtil());
        ps.setDouble(5, s.swapWritesPerS());
        ps.setDouble(6, s.nicUtil());
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    private static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            if (n % BATCH != 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Schema V20: cluster_vm and cluster_traffic rows become their hosts' JSON columns; a host's last
     * sample time is its newest stored sample's. Called by the Flyway migration.
     */
    public static void migrateToHostDocuments(Connection c) throws SQLException {
        Map<String, List<Vm>> vms = new HashMap<>();
        Map<String, String> hostOf = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, host, vcpus, memory_mb, disk_gb, cpu_util, mem_util, swap_writes_per_s, "
                     + "dirty_rate_mbps, workload, nonsharable, group_name FROM cluster_vm ORDER BY id")) {
            while (rs.next()) {
                String csv = rs.getString(11);
                Set<String> nonsharable = csv == null || csv.isEmpty() ? Set.of() : Set.of(csv.split(","));
                Vm v = new Vm(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6),
                        rs.getDouble(7), rs.getDouble(8), rs.getDouble(9),
                        io.placewise.model.WorkloadClass.fromWire(rs.getString(10)).orElse(io.placewise.model.WorkloadClass.MIXED),
                        nonsharable, rs.getString(12));
                vms.computeIfAbsent(v.host(), k -> new ArrayList<>()).add(v);
                hostOf.put(v.id(), v.host());
            }
        }
        Map<String, Map<String, Map<String, Double>>> sent = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT src, dst, mbps FROM cluster_traffic ORDER BY src, dst")) {
            while (rs.next()) {
                String host = hostOf.get(rs.getString(1));
                if (host != null && hostOf.containsKey(rs.getString(2))) {
                    sent.computeIfAbsent(host, k -> new HashMap<>()).computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), rs.getDouble(3));
                }
            }
        }
        List<String> hosts = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM cluster_host")) {
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        batch(c, "UPDATE cluster_host SET vms = ?, traffic = ?, last_sample_at = "
                + "(SELECT MAX(sampled_at) FROM host_sample WHERE host_sample.host = cluster_host.name) WHERE name = ?",
                hosts, (ps, name) -> {
                    ps.setString(1, HostDocuments.vms(vms.getOrDefault(name, List.of())));
                    ps.setString(2, HostDocuments.traffic(sent.getOrDefault(name, Map.of())));
                    ps.setString(3, name);
                });
    }
}
