package io.placewise.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.SampleApplier;
import io.placewise.bridge.store.ClusterRepository;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.LoadShift;
import io.placewise.model.MoveFence;
import io.placewise.model.Staleness;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.service.api.FieldErrors;
import io.placewise.service.http.ApiProblem;
import io.placewise.service.store.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any sequence of profiler samples (and completed migrations) applied incrementally, host by host,
 * gives the same snapshot as a full rebuild from the same inputs: a reference that applies the
 * same rules to plain maps and rebuilds the whole snapshot after every step. Also checked: the
 * same sequence in group-committed batches, and that sequence written to the database and loaded.
 * Random sequences, reproducible by seed; refusals must agree too.
 */
class SampleSequencePropertyTest {
    static final int WINDOW = 4;
    static final int HOSTS = 6;
    static final int VMS = 24;
    static final String[] GROUPS = {"g0", "g1", "g2"};
    static final String[] WORKLOADS = {"cpu", "memory", "disk_io", "net_rx", "web", "mixed"};

    /** One step of a sequence: a sample of a host, or a completed migration. */
    record Step(String host, SampleDto sample, String vm, String destination, Instant at) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void incrementalEqualsAFullRebuild(long seed) {
        Random rnd = new Random(seed);
        Reference ref = new Reference();
        ClusterSnapshot stepwise = ClusterSnapshot.EMPTY;
        List<Step> steps = new ArrayList<>();
        Instant clock = Instant.parse("2026-12-01T10:00:00Z");
        int accepted = 0;
        int moved = 0;
        int vmsSeen = 0;
        int trafficSeen = 0;
        for (int i = 0; i < 250; i++) {
            clock = clock.plusMillis(1 + rnd.nextInt(5000)).plusNanos(rnd.nextInt(1_000_000));
            Step step = rnd.nextInt(100) < 15 ? move(rnd, ref, clock) : sample(rnd, ref, clock);
            steps.add(step);
            String ctx = "seed " + seed + " step " + i;

            Integer refused = ref.apply(step);
            ClusterEditor e = stepwise.edit();
            Integer refusedIncrementally = applyRefusing(e, step);
            assertThat(refusedIncrementally).as(ctx + ": " + step).isEqualTo(refused);
            if (refused == null) {
                ClusterSnapshot next = e.build();
                accepted++;
                moved += step.sample() == null && !next.equals(stepwise) ? 1 : 0;
                stepwise = next;
            }
            assertSameSnapshot(stepwise, ref.rebuild(), ctx);
            vmsSeen = Math.max(vmsSeen, stepwise.vms().size());
            trafficSeen = Math.max(trafficSeen, stepwise.traffic().size());
        }
        // The sequence exercised what it is meant to: most steps applied, VMs, traffic and migrations.
        assertThat(accepted).isGreaterThan(100);
        assertThat(moved).isPositive();
        assertThat(vmsSeen).isGreaterThan(5);
        assertThat(trafficSeen).isPositive();

        // The same steps in group-committed batches, written as the store writes them, then loaded.
        try (Database db = Database.open("jdbc:h2:mem:property" + seed + ";DB_CLOSE_DELAY=-1", "", "", 2, null,
                "classpath:db/migration/bridge")) {
            ClusterRepository repository = new ClusterRepository();
            ClusterSnapshot batched = ClusterSnapshot.EMPTY;
            int i = 0;
            while (i < steps.size()) {
                int n = 1 + rnd.nextInt(8);
                ClusterEditor e = batched.edit();
                for (Step step : steps.subList(i, Math.min(steps.size(), i + n))) {
                    e.begin();
                    if (applyRefusing(e, step) == null) {
                        e.commit();
                    } else {
                        e.rollback();
                    }
                }
                i += n;
                ClusterSnapshot after = e.build();
                ClusterEditor.Delta delta = e.delta();
                ClusterSnapshot before = batched;
                db.inTransaction(c -> {
                    repository.write(c, before, after, delta);
                    return null;
                });
                batched = after;
            }
            assertSameSnapshot(batched, stepwise, "seed " + seed + ", batched");
            ClusterSnapshot loaded = db.inTransaction(c -> repository.load(c, WINDOW, Staleness.NEVER));
            assertSameSnapshot(loaded, stepwise, "seed " + seed + ", loaded");
        }
    }

    /** Applies the step; the refusal's status, or null when it was applied. */
    static Integer applyRefusing(ClusterEditor e, Step step) {
        try {
            if (step.sample() != null) {
                SampleApplier.apply(e, SampleMapper.parse(step.host(), step.sample(), step.at()), WINDOW);
            } else {
                ClusterStore.moveWithLoad(e, step.vm(), step.host(), step.destination(), step.at());
            }
            return null;
        } catch (ApiProblem p) {
            return p.status();
        }
    }

    // ---- random steps -------------------------------------------------------------------------

    static String host(int i) {
        return "h" + i;
    }

    static String vmId(int i) {
        return "v" + i;
    }

    static Step move(Random rnd, Reference ref, Instant at) {
        String vm = vmId(rnd.nextInt(VMS));
        Vm known = ref.vms.get(vm);
        String source = known != null && rnd.nextInt(10) < 8 ? known.host() : host(rnd.nextInt(HOSTS));
        return new Step(source, null, vm, host(rnd.nextInt(HOSTS)), at.truncatedTo(ChronoUnit.MILLIS));
    }

    static Step sample(Random rnd, Reference ref, Instant received) {
        String name = host(rnd.nextInt(HOSTS));
        boolean known = ref.hosts.containsKey(name);
        CapacityDto capacity = rnd.nextInt(100) < (known ? 15 : 85)
                ? new CapacityDto(8 + rnd.nextInt(24), 4096L * (1 + rnd.nextInt(8)), rnd.nextBoolean() ? 500L : null,
                rnd.nextBoolean() ? 1000.0 : null) : null;
        List<VmDto> vms = null;
        List<TrafficDto> traffic = null;
        if (rnd.nextInt(10) < 7) {
            vms = new ArrayList<>();
            int k = rnd.nextInt(6);
            for (int j = 0; j < k; j++) {
                String id = vmId(rnd.nextInt(VMS));
                boolean flavor = rnd.nextBoolean();
                vms.add(new VmDto(id, rnd.nextInt(50) == 0 ? host(rnd.nextInt(HOSTS)) : null,
                        flavor ? 1 + rnd.nextInt(4) : null, flavor ? 512L * (1 + rnd.nextInt(8)) : null,
                        rnd.nextBoolean() ? 10L : null, rnd.nextBoolean() ? rnd.nextDouble() / 4 : null,
                        rnd.nextBoolean() ? rnd.nextDouble() : null, rnd.nextInt(4) == 0 ? rnd.nextDouble() * 100 : null,
                        rnd.nextBoolean() ? rnd.nextDouble() * 50 : null,
                        rnd.nextInt(4) == 0 ? (rnd.nextInt(20) == 0 ? "bogus" : WORKLOADS[rnd.nextInt(WORKLOADS.length)]) : null,
                        rnd.nextInt(5) == 0 ? List.of(rnd.nextBoolean() ? "disk" : "LLC") : null,
                        rnd.nextInt(4) == 0 ? GROUPS[rnd.nextInt(GROUPS.length)] : null, null,
                        rnd.nextInt(9) == 0 ? Boolean.FALSE : null, rnd.nextInt(7) == 0 ? Boolean.TRUE : null));
            }
        }
        if (rnd.nextInt(10) < 4) {
            traffic = new ArrayList<>();
            List<String> senders = new ArrayList<>();
            if (vms != null) {
                vms.forEach(v -> senders.add(v.id()));
            } else {
                ref.vms.values().stream().filter(v -> v.host().equals(name)).forEach(v -> senders.add(v.id()));
            }
            List<String> knownVms = new ArrayList<>(ref.vms.keySet());
            for (String src : senders) {
                if (rnd.nextBoolean()) {
                    String dst = !knownVms.isEmpty() && rnd.nextInt(10) < 8 ? knownVms.get(rnd.nextInt(knownVms.size()))
                            : vmId(rnd.nextInt(VMS));
                    if (!dst.equals(src)) {
                        traffic.add(new TrafficDto(src, dst, (double) rnd.nextInt(300)));
                    }
                }
            }
            if (rnd.nextInt(15) == 0) {
                traffic.add(new TrafficDto(vmId(rnd.nextInt(VMS)), vmId(rnd.nextInt(VMS)), 5.0));
            }
        }
        Instant at = rnd.nextInt(10) < 4 ? null : received.minusMillis(rnd.nextInt(30_000)).plusNanos(rnd.nextInt(1000));
        SampleDto dto = new SampleDto(at, rnd.nextInt(5) == 0 ? null : rnd.nextDouble(), rnd.nextBoolean() ? rnd.nextDouble() : null,
                rnd.nextInt(4) == 0 ? rnd.nextDouble() * 10 : null, rnd.nextBoolean() ? rnd.nextDouble() / 2 : null, capacity,
                rnd.nextInt(10) == 0 ? rnd.nextBoolean() : null, vms, traffic, null);
        return new Step(name, dto, null, null, received);
    }

    // ---- comparing ----------------------------------------------------------------------------

    /** Every question a plugin or the store can ask has the same answer (plain loops: this runs every step). */
    static void assertSameSnapshot(ClusterSnapshot a, ClusterSnapshot b, String ctx) {
        same(ctx, "hosts", a.hosts(), b.hosts());
        same(ctx, "vms", a.vms(), b.vms());
        same(ctx, "traffic", a.traffic(), b.traffic());
        for (Host h : b.hosts()) {
            String n = h.name();
            same(ctx, "vmsOn " + n, a.vmsOn(n), b.vmsOn(n));
            same(ctx, "usage " + n, a.usage(n), b.usage(n));
            for (WorkloadClass w : WorkloadClass.values()) {
                same(ctx, "workloads " + n + " " + w, a.workloadCount(n, w), b.workloadCount(n, w));
            }
            for (String r : List.of("disk", "llc")) {
                same(ctx, "nonsharable " + n + " " + r, a.nonsharableCount(n, r), b.nonsharableCount(n, r));
            }
            same(ctx, "samples " + n, a.samples(n), b.samples(n));
            same(ctx, "last sample " + n, a.lastSampleAt(n), b.lastSampleAt(n));
            same(ctx, "migrating in " + n, a.migratingIn(n), b.migratingIn(n));
            same(ctx, "fences " + n, a.fences(n), b.fences(n));
        }
        for (int i = 0; i < VMS; i++) {
            String id = vmId(i);
            same(ctx, "vm " + id, a.vm(id), b.vm(id));
            same(ctx, "peers " + id, a.peersOf(id), b.peersOf(id));
            same(ctx, "migrating into " + id, a.reportedMigratingInto(id), b.reportedMigratingInto(id));
        }
        for (String g : GROUPS) {
            same(ctx, "group " + g, a.groupMembers(g), b.groupMembers(g));
        }
        same(ctx, "snapshot", a, b);
    }

    private static void same(String ctx, String what, Object actual, Object expected) {
        if (!java.util.Objects.equals(actual, expected)) {
            assertThat(actual).as(ctx + ": " + what).isEqualTo(expected);
        }
    }

    // ---- the reference: the same rules on plain maps, the whole snapshot rebuilt -----------------

    static final class Reference {
        TreeMap<String, Host> hosts = new TreeMap<>();
        TreeMap<String, Vm> vms = new TreeMap<>();
        Map<String, Map<String, Double>> sent = new HashMap<>();
        Map<String, List<LoadSample>> windows = new HashMap<>();
        Map<String, Instant> last = new HashMap<>();
        Map<String, Set<String>> migIn = new HashMap<>();
        Map<String, List<MoveFence>> fences = new HashMap<>();

        ClusterSnapshot rebuild() {
            ClusterSnapshot.Builder b = new ClusterSnapshot.Builder();
            hosts.values().forEach(h -> {
                b.host(h);
                b.reports(h.name(), last.get(h.name()), migIn.getOrDefault(h.name(), Set.of()),
                        fences.getOrDefault(h.name(), List.of()));
                b.samples(h.name(), windows.getOrDefault(h.name(), List.of()));
            });
            vms.values().forEach(b::vm);
            sent.forEach((src, to) -> to.forEach((dst, mbps) -> b.traffic(new Traffic(src, dst, mbps))));
            return b.build().canonical();
        }

        Reference copy() {
            Reference r = new Reference();
            r.hosts = new TreeMap<>(hosts);
            r.vms = new TreeMap<>(vms);
            sent.forEach((k, v) -> r.sent.put(k, new HashMap<>(v)));
            windows.forEach((k, v) -> r.windows.put(k, new ArrayList<>(v)));
            r.last = new HashMap<>(last);
            r.migIn = new HashMap<>(migIn);
            r.fences = new HashMap<>(fences);
            return r;
        }

        void restore(Reference r) {
            hosts = r.hosts;
            vms = r.vms;
            sent = r.sent;
            windows = r.windows;
            last = r.last;
            migIn = r.migIn;
            fences = r.fences;
        }

        /** Applies the step whole or not at all; the refusal's status, or null. */
        Integer apply(Step step) {
            Reference saved = copy();
            try {
                if (step.sample() != null) {
                    sample(step.host(), step.sample(), step.at().truncatedTo(ChronoUnit.MICROS));
                } else {
                    move(step.vm(), step.host(), step.destination(), step.at());
                }
                return null;
            } catch (Refused r) {
                restore(saved);
                return r.status;
            }
        }

        static final class Refused extends RuntimeException {
            final int status;

            Refused(int status) {
                super(null, null, false, false);
                this.status = status;
            }
        }

        void sample(String name, SampleDto dto, Instant received) {
            Set<String> ids = new HashSet<>();
            List<VmDto> placed = null;
            Set<String> in = new HashSet<>();
            if (dto.vms() != null) {
                placed = new ArrayList<>();
                for (VmDto v : dto.vms()) {
                    if (!ids.add(v.id()) || (v.host() != null && !v.host().equals(name))) {
                        throw new Refused(422);
                    }
                    if (Boolean.TRUE.equals(v.migratingIn())) {
                        in.add(v.id());
                    } else {
                        placed.add(v);
                    }
                }
            }
            if (dto.traffic() != null) {
                Set<List<String>> pairs = new HashSet<>();
                for (TrafficDto t : dto.traffic()) {
                    if (t.src().equals(t.dst()) || !pairs.add(List.of(t.src(), t.dst()))) {
                        throw new Refused(422);
                    }
                }
            }
            Host known = hosts.get(name);
            if (known == null && dto.capacity() == null) {
                throw new Refused(404);
            }
            Capacity cap = known == null ? ClusterMapper.toCapacity(dto.capacity())
                    : dto.capacity() != null ? ClusterMapper.mergeCapacity(dto.capacity(), known.capacity()) : known.capacity();
            Instant at = dto.at() != null ? dto.at().truncatedTo(ChronoUnit.MICROS) : received;
            Set<String> placedIds = null;
            if (placed != null) {
                placedIds = new HashSet<>();
                for (VmDto v : placed) {
                    placedIds.add(v.id());
                }
            }
            double dc = 0;
            double dm = 0;
            double ds = 0;
            double dn = 0;
            List<MoveFence> kept = new ArrayList<>();
            Set<String> left = new HashSet<>();
            Set<String> arrived = new HashSet<>();
            for (MoveFence f : fences.getOrDefault(name, List.of())) {
                if (received.isAfter(f.completedAt().plus(SampleApplier.FENCE_TTL))) {
                    continue;
                }
                boolean before = placedIds != null ? (f.leaving() ? placedIds.contains(f.vm()) : !placedIds.contains(f.vm()))
                        : at.isBefore(f.completedAt());
                if (before) {
                    dc += f.delta().cpu();
                    dm += f.delta().mem();
                    ds += f.delta().swapWritesPerS();
                    dn += f.delta().nic();
                    kept.add(f);
                    if (f.leaving()) {
                        left.add(f.vm());
                    } else {
                        arrived.add(f.vm());
                    }
                } else if (placedIds == null) {
                    kept.add(f);
                }
            }
            Host h = new Host(name, cap,
                    dto.cpuUtil() != null ? unit(dto.cpuUtil() + dc) : known == null ? 0 : known.cpuUtil(),
                    dto.memUtil() != null ? unit(dto.memUtil() + dm) : known == null ? 0 : known.memUtil(),
                    dto.swapWritesPerS() != null ? Math.max(0, dto.swapWritesPerS() + ds) : known == null ? 0 : known.swapWritesPerS(),
                    dto.nicUtil() != null ? unit(dto.nicUtil() + dn) : known == null ? 0 : known.nicUtil(),
                    dto.enabled() != null ? dto.enabled() : known == null || known.enabled());
            hosts.put(name, h);
            setOrRemove(fences, name, kept);

            Set<String> senders = new HashSet<>();
            if (placed != null) {
                FieldErrors errors = new FieldErrors();
                List<Vm> puts = new ArrayList<>();
                for (int i = 0; i < placed.size(); i++) {
                    VmDto v = placed.get(i);
                    if (left.contains(v.id())) {
                        continue;
                    }
                    Vm vm = ClusterMapper.toVm(v, name, vms.get(v.id()), "vms", errors);
                    if (vm == null) {
                        throw new Refused(422);
                    }
                    puts.add(vm);
                }
                for (Vm vm : puts) {
                    vms.put(vm.id(), vm);
                    senders.add(vm.id());
                }
                for (Vm v : List.copyOf(vms.values())) {
                    if (!v.host().equals(name) || senders.contains(v.id()) || arrived.contains(v.id()) || in.contains(v.id())) {
                        continue;
                    }
                    boolean elsewhere = migIn.entrySet().stream()
                            .anyMatch(e -> !e.getKey().equals(name) && e.getValue().contains(v.id()));
                    if (!elsewhere) {
                        removeVm(v.id());
                    }
                }
                setOrRemove(migIn, name, in);
            } else {
                vms.values().stream().filter(v -> v.host().equals(name)).forEach(v -> senders.add(v.id()));
            }
            if (dto.traffic() != null) {
                Map<String, Map<String, Double>> bySender = new HashMap<>();
                senders.forEach(s -> bySender.put(s, new HashMap<>()));
                for (TrafficDto t : dto.traffic()) {
                    if (left.contains(t.src())) {
                        continue;
                    }
                    if (!senders.contains(t.src()) || !vms.containsKey(t.dst())) {
                        throw new Refused(422);
                    }
                    bySender.get(t.src()).put(t.dst(), t.mbps());
                }
                bySender.forEach((src, to) -> setOrRemove(sent, src, to));
            }
            List<LoadSample> w = windows.computeIfAbsent(name, k -> new ArrayList<>());
            int pos = w.size();
            while (pos > 0 && w.get(pos - 1).at().isAfter(at)) {
                pos--;
            }
            w.add(pos, new LoadSample(at, h.cpuUtil(), h.memUtil(), h.swapWritesPerS(), h.nicUtil()));
            while (w.size() > WINDOW) {
                w.remove(0);
            }
            last.put(name, received);
        }

        void removeVm(String id) {
            vms.remove(id);
            sent.remove(id);
            sent.values().forEach(m -> m.remove(id));
            sent.values().removeIf(Map::isEmpty);
        }

        Map<String, Double> peersOf(String id) {
            Map<String, Double> out = new HashMap<>();
            sent.getOrDefault(id, Map.of()).forEach((dst, mbps) -> out.merge(dst, mbps, Double::sum));
            sent.forEach((src, to) -> {
                if (!src.equals(id) && to.containsKey(id)) {
                    out.merge(src, to.get(id), Double::sum);
                }
            });
            out.remove(id);
            return out;
        }

        void move(String vmId, String source, String destination, Instant at) {
            Vm vm = vms.get(vmId);
            Host src = hosts.get(source);
            Host dst = hosts.get(destination);
            if (vm == null || src == null || dst == null || source.equals(destination)) {
                return;
            }
            if (vm.host().equals(source)) {
                LoadShift.Move m = LoadShift.of(vm, src, dst, peersOf(vmId), vms::get);
                vms.put(vmId, m.moved());
                shift(source, new MoveFence(vmId, true, at, m.source()));
                shift(destination, new MoveFence(vmId, false, at, m.destination()));
            } else if (vm.host().equals(destination)) {
                List<LoadSample> w = windows.getOrDefault(source, List.of());
                if (w.isEmpty() || w.get(w.size() - 1).at().isBefore(at)) {
                    Vm before = new Vm(vm.id(), source, vm.vcpus(), vm.memoryMb(), vm.diskGb(),
                            LoadShift.cpuShareOn(vm, dst, src), vm.memUtil(), vm.swapWritesPerS(), vm.dirtyRateMbps(),
                            vm.workload(), vm.nonsharable(), vm.group());
                    shift(source, new MoveFence(vmId, true, at, LoadShift.of(before, src, dst, peersOf(vmId), vms::get).source()));
                }
            }
        }

        void shift(String host, MoveFence fence) {
            hosts.put(host, fence.delta().applyTo(hosts.get(host)));
            List<LoadSample> w = windows.get(host);
            if (w != null) {
                w.replaceAll(fence.delta()::applyTo);
            }
            List<MoveFence> fs = new ArrayList<>(fences.getOrDefault(host, List.of()));
            fs.removeIf(f -> f.vm().equals(fence.vm()));
            fs.add(fence);
            fences.put(host, fs);
        }

        static <K, V extends java.util.Collection<?>> void setOrRemove(Map<K, V> m, K k, V v) {
            if (v.isEmpty()) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }

        static <K, V extends Map<?, ?>> void setOrRemove(Map<K, V> m, K k, V v) {
            if (v.isEmpty()) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }

        static double unit(double u) {
            return Math.max(0, Math.min(1, u));
        }
    }
}
