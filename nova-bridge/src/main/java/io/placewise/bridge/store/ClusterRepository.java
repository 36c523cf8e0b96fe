package io.placewise.bridge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stores the cluster state and the per-host sample window. */
public final class ClusterRepository {
    private static final int BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private final ServerGroupRepository groups = new ServerGroupRepository();

    /** Loads everything, with each host's newest {@code window} samples oldest first. */
    public ClusterSnapshot load(Connection c, int window) throws SQLException {
        List<Host> hosts = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, vcpus, memory_mb, disk_gb, nic_mbps, cpu_util, mem_util, "
                     + "swap_writes_per_s, nic_util, enabled, availability_zone FROM cluster_host ORDER BY name")) {
            while (rs.next()) {
                hosts.add(new Host(rs.getString(1), new Capacity(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)),
                        rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getBoolean(10), rs.getString(11)));
            }
        }
        List<Vm> vms = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, host, vcpus, memory_mb, disk_gb, cpu_util, mem_util, swap_writes_per_s, "
                     + "dirty_rate_mbps, workload, nonsharable, group_name, tolerates_slowing FROM cluster_vm ORDER BY id")) {
            while (rs.next()) {
                vms.add(new Vm(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getDouble(6),
                        rs.getDouble(7), rs.getDouble(8), rs.getDouble(9),
                        WorkloadClass.fromWire(rs.getString(10)).orElse(WorkloadClass.MIXED),
                        splitSet(rs.getString(11)), rs.getString(12), rs.getObject(13, Boolean.class)));
            }
        }
        List<Traffic> traffic = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT src, dst, mbps FROM cluster_traffic ORDER BY src, dst")) {
            while (rs.next()) {
                traffic.add(new Traffic(rs.getString(1), rs.getString(2), rs.getDouble(3)));
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
        samples.replaceAll((h, list) -> list.size() > window ? list.subList(list.size() - window, list.size()) : list);
        return new ClusterSnapshot(hosts, vms, traffic, samples, groups.load(c));
    }

    /** Writes the difference between two snapshots: only rows that changed are touched. */
    public void persist(Connection c, ClusterSnapshot before, ClusterSnapshot after) throws SQLException {
        Set<String> keptHosts = new HashSet<>();
        after.hosts().forEach(h -> keptHosts.add(h.name()));
        Set<String> keptVms = new HashSet<>();
        after.vms().forEach(v -> keptVms.add(v.id()));

        // Traffic first and VMs before hosts, so foreign keys hold at every step.
        Set<Traffic> oldTraffic = new LinkedHashSet<>(before.traffic());
        Set<Traffic> newTraffic = new LinkedHashSet<>(after.traffic());
        batch(c, "DELETE FROM cluster_traffic WHERE src = ? AND dst = ?",
                oldTraffic.stream().filter(t -> !newTraffic.contains(t)).toList(), (ps, t) -> {
                    ps.setString(1, t.src());
                    ps.setString(2, t.dst());
                });
        batch(c, "DELETE FROM cluster_vm WHERE id = ?",
                before.vms().stream().filter(v -> !keptVms.contains(v.id())).toList(), (ps, v) -> ps.setString(1, v.id()));
        batch(c, "DELETE FROM cluster_host WHERE name = ?",
                before.hosts().stream().filter(h -> !keptHosts.contains(h.name())).toList(), (ps, h) -> ps.setString(1, h.name()));

        List<Host> hostUpdates = new ArrayList<>();
        List<Host> hostInserts = new ArrayList<>();
        for (Host h : after.hosts()) {
            Host old = before.host(h.name());
            if (old == null) {
                hostInserts.add(h);
            } else if (!old.equals(h)) {
                hostUpdates.add(h);
            }
        }
        batch(c, "INSERT INTO cluster_host (vcpus, memory_mb, disk_gb, nic_mbps, cpu_util, mem_util, swap_writes_per_s, "
                + "nic_util, enabled, availability_zone, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", hostInserts, ClusterRepository::bindHost);
        batch(c, "UPDATE cluster_host SET vcpus = ?, memory_mb = ?, disk_gb = ?, nic_mbps = ?, cpu_util = ?, mem_util = ?, "
                + "swap_writes_per_s = ?, nic_util = ?, enabled = ?, availability_zone = ? WHERE name = ?", hostUpdates, ClusterRepository::bindHost);

        List<Vm> vmUpdates = new ArrayList<>();
        List<Vm> vmInserts = new ArrayList<>();
        for (Vm v : after.vms()) {
            Vm old = before.vm(v.id());
            if (old == null) {
                vmInserts.add(v);
            } else if (!old.equals(v)) {
                vmUpdates.add(v);
            }
        }
        batch(c, "INSERT INTO cluster_vm (host, vcpus, memory_mb, disk_gb, cpu_util, mem_util, swap_writes_per_s, "
                + "dirty_rate_mbps, workload, nonsharable, group_name, tolerates_slowing, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vmInserts, ClusterRepository::bindVm);
        batch(c, "UPDATE cluster_vm SET host = ?, vcpus = ?, memory_mb = ?, disk_gb = ?, cpu_util = ?, mem_util = ?, "
                + "swap_writes_per_s = ?, dirty_rate_mbps = ?, workload = ?, nonsharable = ?, group_name = ?, tolerates_slowing = ? "
                + "WHERE id = ?",
                vmUpdates, ClusterRepository::bindVm);

        // A pair whose rate changed was deleted above: its old record is not in the new set.
        List<Traffic> trafficInserts = newTraffic.stream().filter(t -> !oldTraffic.contains(t)).toList();
        batch(c, "INSERT INTO cluster_traffic (mbps, src, dst) VALUES (?, ?, ?)", trafficInserts, (ps, t) -> {
            ps.setDouble(1, t.mbps());
            ps.setString(2, t.src());
            ps.setString(3, t.dst());
        });
        groups.persist(c, before, after);
    }

    /** Appends one sample and trims the host's window to its newest {@code window} samples. */
    public void appendSample(Connection c, String host, LoadSample s, int window) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_sample (host, sampled_at, cpu_util, mem_util, "
                + "swap_writes_per_s, nic_util) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, host);
            ps.setTimestamp(2, Timestamp.from(s.at()));
            ps.setDouble(3, s.cpuUtil());
            ps.setDouble(4, s.memUtil());
            ps.setDouble(5, s.swapWritesPerS());
            ps.setDouble(6, s.nicUtil());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM host_sample WHERE host = ? AND id NOT IN "
                + "(SELECT id FROM (SELECT id FROM host_sample WHERE host = ? ORDER BY sampled_at DESC, id DESC LIMIT ?) newest)")) {
            ps.setString(1, host);
            ps.setString(2, host);
            ps.setInt(3, window);
            ps.executeUpdate();
        }
    }

    private static void bindHost(PreparedStatement ps, Host h) throws SQLException {
        ps.setInt(1, h.capacity().vcpus());
        ps.setLong(2, h.capacity().memoryMb());
        ps.setLong(3, h.capacity().diskGb());
        ps.setDouble(4, h.capacity().nicMbps());
        ps.setDouble(5, h.cpuUtil());
        ps.setDouble(6, h.memUtil());
        ps.setDouble(7, h.swapWritesPerS());
        ps.setDouble(8, h.nicUtil());
        ps.setBoolean(9, h.enabled());
        ps.setString(10, h.availabilityZone());
        ps.setString(11, h.name());
    }

    private static void bindVm(PreparedStatement ps, Vm v) throws SQLException {
        ps.setString(1, v.host());
        ps.setInt(2, v.vcpus());
        ps.setLong(3, v.memoryMb());
        ps.setLong(4, v.diskGb());
        ps.setDouble(5, v.cpuUtil());
        ps.setDouble(6, v.memUtil());
        ps.setDouble(7, v.swapWritesPerS());
        ps.setDouble(8, v.dirtyRateMbps());
        ps.setString(9, v.workload().wireName());
        ps.setString(10, nonsharableColumn(v.nonsharable()));
        ps.setString(11, v.group());
        ps.setObject(12, v.toleratesSlowing(), java.sql.Types.BOOLEAN);
        ps.setString(13, v.id());
    }

    /** A JSON array, so that a name with a comma comes back as one name (V10). */
    static String nonsharableColumn(Set<String> names) {
        try {
            return JSON.writeValueAsString(names.stream().sorted().toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The column as written by {@link #nonsharableColumn}, or comma-joined as before V10. */
    static Set<String> splitSet(String column) {
        if (column == null || column.isEmpty()) {
            return Set.of();
        }
        if (column.startsWith("[")) {
            try {
                return new HashSet<>(JSON.readValue(column, NAMES));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cluster_vm.nonsharable is not a JSON array: " + column, e);
            }
        }
        return new HashSet<>(Arrays.asList(column.split(",")));
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    private static <T> void batch(Connection c, String sql, List<T> items, Binder<T> binder) throws SQLException {
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
            ps.executeBatch();
        }
    }
}
