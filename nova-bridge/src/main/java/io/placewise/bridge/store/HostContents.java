package io.placewise.bridge.store;

import io.placewise.model.LoadSample;
import io.placewise.model.LoadShift;
import io.placewise.model.MoveFence;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code contents} column of a {@code cluster_host} row: the host's VMs, the traffic they send,
 * its sample window, the VMs it reports migrating in and its move fences, in one compact binary
 * record. Binary because a profiler sample rewrites it: formatting some 300 numbers as JSON cost
 * more than the database's own work for the row (measured: docs/state.md). Layout (big-endian):
 * <pre>
 * version 1
 * vms:      int n, n × (str id, int vcpus, long memory_mb, long disk_gb, double cpu_util, double mem_util,
 *           double swap_writes_per_s, double dirty_rate_mbps, str workload, int k, k × str nonsharable,
 *           bool has_group, [str group], byte tolerates_slowing: 0 unset, 1 false, 2 true)
 * traffic:  int n, n × (str src, int k, k × (str dst, double mbps))
 * samples:  int n, n × (long at_epoch_us, double cpu, double mem, double swap, double nic), oldest first
 * migrating_in: int n, n × str
 * fences:   int n, n × (str vm, bool leaving, long completed_at_ms, double cpu, double mem, double swap, double nic)
 * str:      int length, UTF-8 bytes
 * </pre>
 */
final class HostContents {
    private static final int VERSION = 1;

    private HostContents() {
    }

    /** What a row holds besides its columns. */
    record Contents(List<Vm> vms, Map<String, Map<String, Double>> sent, List<LoadSample> samples, Set<String> migratingIn,
                    List<MoveFence> fences) {
        static final Contents EMPTY = new Contents(List.of(), Map.of(), List.of(), Set.of(), List.of());
    }

    static byte[] encode(List<Vm> vms, Map<String, Map<String, Double>> sent, List<LoadSample> samples,
                         Set<String> migratingIn, List<MoveFence> fences) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + vms.size() * 96 + samples.size() * 40);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            out.writeInt(vms.size());
            for (Vm v : vms) {
                str(out, v.id());
                out.writeInt(v.vcpus());
                out.writeLong(v.memoryMb());
                out.writeLong(v.diskGb());
                out.writeDouble(v.cpuUtil());
                out.writeDouble(v.memUtil());
                out.writeDouble(v.swapWritesPerS());
                out.writeDouble(v.dirtyRateMbps());
                str(out, v.workload().wireName());
                out.writeInt(v.nonsharable().size());
                for (String r : v.nonsharable()) {
                    str(out, r);
                }
                out.writeBoolean(v.group() != null);
                if (v.group() != null) {
                    str(out, v.group());
                }
                out.writeByte(v.toleratesSlowing() == null ? 0 : v.toleratesSlowing() ? 2 : 1);
            }
            out.writeInt(sent.size());
            for (Map.Entry<String, Map<String, Double>> e : sent.entrySet()) {
                str(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<String, Double> t : e.getValue().entrySet()) {
                    str(out, t.getKey());
                    out.writeDouble(t.getValue());
                }
            }
            out.writeInt(samples.size());
            for (LoadSample s : samples) {
                out.writeLong(s.at().getEpochSecond() * 1_000_000L + s.at().getNano() / 1000);
                out.writeDouble(s.cpuUtil());
                out.writeDouble(s.memUtil());
                out.writeDouble(s.swapWritesPerS());
                out.writeDouble(s.nicUtil());
            }
            out.writeInt(migratingIn.size());
            for (String id : migratingIn) {
                str(out, id);
            }
            out.writeInt(fences.size());
            for (MoveFence f : fences) {
                str(out, f.vm());
                out.writeBoolean(f.leaving());
                out.writeLong(f.completedAt().toEpochMilli());
                out.writeDouble(f.delta().cpu());
                out.writeDouble(f.delta().mem());
                out.writeDouble(f.delta().swapWritesPerS());
                out.writeDouble(f.delta().nic());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The contents of {@code host}'s row; empty for a row without contents. */
    static Contents decode(String host, byte[] data) {
        if (data == null || data.length == 0) {
            return Contents.EMPTY;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("host " + host + ": stored contents have format " + version
                        + ", this bridge reads " + VERSION);
            }
            int n = in.readInt();
            List<Vm> vms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = str(in);
                int vcpus = in.readInt();
                long memory = in.readLong();
                long disk = in.readLong();
                double cpu = in.readDouble();
                double mem = in.readDouble();
                double swap = in.readDouble();
                double dirty = in.readDouble();
                WorkloadClass workload = WorkloadClass.fromWire(str(in)).orElse(WorkloadClass.MIXED);
                int k = in.readInt();
                Set<String> nonsharable = new HashSet<>(k * 2);
                for (int j = 0; j < k; j++) {
                    nonsharable.add(str(in));
                }
                String group = in.readBoolean() ? str(in) : null;
                int tolerates = in.readUnsignedByte();
                vms.add(new Vm(id, host, vcpus, memory, disk, cpu, mem, swap, dirty, workload, nonsharable, group,
                        tolerates == 0 ? null : tolerates == 2));
            }
            n = in.readInt();
            Map<String, Map<String, Double>> sent = new LinkedHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String src = str(in);
                int k = in.readInt();
                Map<String, Double> to = new LinkedHashMap<>(k * 2);
                for (int j = 0; j < k; j++) {
                    to.put(str(in), in.readDouble());
                }
                sent.put(src, to);
            }
            n = in.readInt();
            List<LoadSample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long us = in.readLong();
                samples.add(new LoadSample(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000),
                        in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            n = in.readInt();
            Set<String> migratingIn = new HashSet<>(n * 2);
            for (int i = 0; i < n; i++) {
                migratingIn.add(str(in));
            }
            n = in.readInt();
            List<MoveFence> fences = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String vm = str(in);
                boolean leaving = in.readBoolean();
                Instant at = Instant.ofEpochMilli(in.readLong());
                fences.add(new MoveFence(vm, leaving, at,
                        new LoadShift.Delta(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble())));
            }
            return new Contents(vms, sent, samples, migratingIn, fences);
        } catch (IOException e) {
            throw new IllegalStateException("host " + host + ": stored contents are damaged: " + e, e);
        }
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
