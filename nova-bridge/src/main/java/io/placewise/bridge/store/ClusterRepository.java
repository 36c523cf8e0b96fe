package io.placewise.bridge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.Staleness;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores the cluster state as one {@code cluster_host} row per host: its capacity, load and last
 * report time in columns, and its VMs, the traffic they send, its sample window and its reports in
 * one binary column ({@link HostContents}). A profiler sample changes one host, so it costs one row
 * update (one statement in the group commit's batch); a whole cluster is one row per host, written
 * and read with batched statements.
 */
public final class ClusterRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private static final int BATCH = 500;
    private final ServerGroupRepository groups = new ServerGroupRepository();

    private static final String COLUMNS = "vcpus, memory_mb, disk_gb, nic_mbps, cpu_util, mem_util, swap_writes_per_s, "
            + "nic_util, enabled, last_sample_at, contents, availability_zone";
    private static final String INSERT_HOST = "INSERT INTO cluster_host (" + COLUMNS + ", name) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_HOST = "UPDATE cluster_host SET vcpus = ?, memory_mb = ?, disk_gb = ?, nic_mbps = ?, "
            + "cpu_util = ?, mem_util = ?, swap_writes_per_s = ?, nic_util = ?, enabled = ?, last_sample_at = ?, contents = ?, "
            + "availability_zone = ? WHERE name = ?";

    /** Loads everything; each host keeps its newest {@code window} samples. */
    public ClusterSnapshot load(Connection c, int window, Staleness staleness) throws SQLException {
        ClusterSnapshot.Builder b = new ClusterSnapshot.Builder().staleness(staleness).groupPolicies(groups.load(c));
        List<Traffic> traffic = new ArrayList<>();
        // The rows are read here and their binary contents decoded on every core (what start-up spends
        // its state-load time on at 10,000 hosts), then added in the rows' order.
        List<RawRow> raw = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, " + COLUMNS + " FROM cluster_host ORDER BY name")) {
            while (rs.next()) {
                raw.add(raw(rs));
            }
        }
        for (HostRow row : raw.parallelStream().map(r -> r.decode(window)).toList()) {
            String name = row.host().name();
            b.host(row.host());
            b.reports(name, row.lastSampleAt(), row.migratingIn(), row.fences());
            row.vms().forEach(b::vm);
            row.sent().forEach((src, to) -> to.forEach((dst, mbps) -> traffic.add(new Traffic(src, dst, mbps))));
            b.samples(name, row.samples());
        }
        traffic.forEach(b::traffic);
        return b.build().canonical();
    }

    /**
     * One stored host as its row has it: the host, its last report, its VMs, the traffic they send
     * (VM → receiver → Mbit/s), its newest samples, the VMs it reports migrating in and its move fences.
     */
    public record HostRow(Host host, Instant lastSampleAt, List<Vm> vms, Map<String, Map<String, Double>> sent,
                          List<LoadSample> samples, Set<String> migratingIn, List<io.placewise.model.MoveFence> fences) {
    }

    /** The stored rows of {@code names} (a name without a row is absent: the host was removed). */
    public Map<String, HostRow> loadHosts(Connection c, Collection<String> names, int window) throws SQLException {
        Map<String, HostRow> out = new HashMap<>();
        List<String> all = new ArrayList<>(names);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> part = all.subList(from, Math.min(all.size(), from + BATCH));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT name, " + COLUMNS + " FROM cluster_host WHERE name IN ("
                    + marks + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        HostRow row = row(rs, window);
                        out.put(row.host().name(), row);
                    }
                }
            }
        }
        return out;
    }

    /** The stored server-group policies. */
    public Map<String, io.placewise.model.GroupPolicy> loadGroupPolicies(Connection c) throws SQLException {
        return groups.load(c);
    }

    private static HostRow row(ResultSet rs, int window) throws SQLException {
        return raw(rs).decode(window);
    }

    /** A row's columns as read, its contents not yet decoded. */
    private record RawRow(Host host, Timestamp last, byte[] contents) {
        HostRow decode(int window) {
            HostContents.Contents decoded = HostContents.decode(host.name(), contents);
            List<LoadSample> samples = decoded.samples();
            return new HostRow(host, last == null ? null : last.toInstant(), decoded.vms(), decoded.sent(),
                    samples.size() > window ? samples.subList(samples.size() - window, samples.size()) : samples,
                    decoded.migratingIn(), decoded.fences());
        }
    }

    private static RawRow raw(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        Host host = new Host(name, new Capacity(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)),
                rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getBoolean(10), rs.getString(13));
        return new RawRow(host, rs.getTimestamp(11), rs.getBytes(12));
    }

    /**
     * Writes what the editor's kept changes did to {@code before} ({@code delta}): the rows of the hosts they
     * touched, as {@code after} has them, and the server groups' policies when they changed.
     */
    public void write(Connection c, ClusterSnapshot before, ClusterSnapshot after, ClusterEditor.Delta delta)
            throws SQLException {
        batch(c, "DELETE FROM cluster_host WHERE name = ?", delta.deleted(), (ps, name) -> ps.setString(1, name));
        writeHosts(c, INSERT_HOST, after, delta.inserted());
        writeHosts(c, UPDATE_HOST, after, delta.updated());
        if (delta.groupPoliciesChanged()) {
            groups.persist(c, before, after);
        }
    }

    /**
     * Replaces the stored cluster by {@code after}: the rows of hosts that are new, gone or not the same,
     * in batches (a whole new cluster writes every row once; a whole-snapshot change of a few hosts, a
     * few rows).
     *
     * @return the names of the hosts whose rows were written or deleted
     */
    public Set<String> replace(Connection c, ClusterSnapshot before, ClusterSnapshot after) throws SQLException {
        List<String> deleted = new ArrayList<>();
        before.hosts().forEach(h -> {
            if (after.host(h.name()) == null) {
                deleted.add(h.name());
            }
        });
        List<String> inserted = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        after.hosts().forEach(h -> {
            if (before.host(h.name()) == null) {
                inserted.add(h.name());
            } else if (!after.sameHost(h.name(), before)) {
                updated.add(h.name());
            }
        });
        batch(c, "DELETE FROM cluster_host WHERE name = ?", deleted, (ps, name) -> ps.setString(1, name));
        writeHosts(c, INSERT_HOST, after, inserted);
        writeHosts(c, UPDATE_HOST, after, updated);
        groups.persist(c, before, after);
        Set<String> touched = new HashSet<>(deleted);
        touched.addAll(inserted);
        touched.addAll(updated);
        return touched;
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
            Map<String, Map<String, Double>> sent = new HashMap<>();
            for (Vm v : vms) {
                Map<String, Double> to = s.trafficFrom(v.id());
                if (!to.isEmpty()) {
                    sent.put(v.id(), to);
                }
            }
            ps.setBytes(11, HostContents.encode(vms, sent, s.samples(name), s.migratingIn(name), s.fences(name)));
            ps.setString(12, h.availabilityZone());
            ps.setString(13, name);
        });
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
     * Schema V80: the rows of cluster_vm, cluster_traffic and host_sample become their hosts'
     * contents; a host's last sample time is its newest stored sample's. Called by the Flyway migration.
     */
    public static void migrateToHostDocuments(Connection c) throws SQLException {
        Map<String, List<Vm>> vms = new HashMap<>();
        Map<String, String> hostOf = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, host, vcpus, memory_mb, disk_gb, cpu_util, mem_util, swap_writes_per_s, "
                     + "dirty_rate_mbps, workload, nonsharable, group_name, tolerates_slowing FROM cluster_vm ORDER BY id")) {
            while (rs.next()) {
                Vm v = new Vm(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6),
                        rs.getDouble(7), rs.getDouble(8), rs.getDouble(9),
                        WorkloadClass.fromWire(rs.getString(10)).orElse(WorkloadClass.MIXED), nonsharableColumn(rs.getString(11)),
                        rs.getString(12), rs.getObject(13, Boolean.class));
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
        Map<String, List<LoadSample>> samples = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT host, sampled_at, cpu_util, mem_util, swap_writes_per_s, nic_util "
                     + "FROM host_sample ORDER BY host, sampled_at, id")) {
            while (rs.next()) {
                samples.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new LoadSample(
                        rs.getTimestamp(2).toInstant(), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)));
            }
        }
        List<String> hosts = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM cluster_host")) {
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        batch(c, "UPDATE cluster_host SET contents = ?, last_sample_at = ? WHERE name = ?", hosts, (ps, name) -> {
            List<LoadSample> window = samples.getOrDefault(name, List.of());
            ps.setBytes(1, HostContents.encode(vms.getOrDefault(name, List.of()), sent.getOrDefault(name, Map.of()), window,
                    Set.of(), List.of()));
            ps.setTimestamp(2, window.isEmpty() ? null : Timestamp.from(window.get(window.size() - 1).at()));
            ps.setString(3, name);
        });
    }

    /** cluster_vm.nonsharable as V10 left it: a JSON array, or comma-joined when written before V10. */
    private static Set<String> nonsharableColumn(String column) throws SQLException {
        if (column == null || column.isEmpty()) {
            return Set.of();
        }
        if (!column.startsWith("[")) {
            return new HashSet<>(Arrays.asList(column.split(",")));
        }
        try {
            return new HashSet<>(JSON.readValue(column, NAMES));
        } catch (JsonProcessingException e) {
            throw new SQLException("cluster_vm.nonsharable is not a JSON array: " + column, e);
        }
    }
}
