package io.placewise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An incrementally changed snapshot answers every question exactly as a full rebuild would. */
class ClusterSnapshotChangesTest {
    static final WorkloadClass[] CLASSES = WorkloadClass.values();

    static ClusterSnapshot random(Random rnd, int hosts, int vms) {
        List<Host> hs = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            hs.add(new Host("h" + h, new Capacity(16, 65536, 1000, 10000), rnd.nextDouble(), rnd.nextDouble(), 0, 0.1, true));
        }
        List<Vm> vs = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            Set<String> ns = rnd.nextInt(4) == 0 ? Set.of(rnd.nextBoolean() ? "disk" : "LLC") : Set.of();
            vs.add(new Vm("v" + i, "h" + rnd.nextInt(hosts), 1 + rnd.nextInt(4), 1024L * (1 + rnd.nextInt(8)), 10,
                    rnd.nextDouble() / 10, 0.5, 0, 0, CLASSES[rnd.nextInt(CLASSES.length)], ns,
                    rnd.nextInt(3) == 0 ? "g" + rnd.nextInt(5) : null));
        }
        List<Traffic> ts = List.of(new Traffic("v0", "v1", 10), new Traffic("v2", "v3", 20));
        return new ClusterSnapshot(hs, vs, ts, Map.of("h0", List.of(new LoadSample(java.time.Instant.EPOCH, 0.5, 0.5, 0, 0.1))));
    }

    static void assertSameAnswers(ClusterSnapshot incremental, ClusterSnapshot rebuilt) {
        assertThat(incremental.hosts()).isEqualTo(rebuilt.hosts());
        // A derived snapshot lists VMs by id (canonical order); a snapshot built from lists, in theirs.
        assertThat(incremental.vms()).isEqualTo(rebuilt.canonical().vms());
        for (Host h : rebuilt.hosts()) {
            String n = h.name();
            assertThat(incremental.host(n)).isEqualTo(h);
            assertThat(new HashSet<>(incremental.vmsOn(n))).as("vmsOn %s", n).isEqualTo(new HashSet<>(rebuilt.vmsOn(n)));
            assertThat(incremental.usage(n)).as("usage %s", n).isEqualTo(rebuilt.usage(n));
            for (WorkloadClass c : CLASSES) {
                assertThat(incremental.workloadCount(n, c)).isEqualTo(rebuilt.workloadCount(n, c));
            }
            for (String r : List.of("disk", "llc", " LLC ")) {
                assertThat(incremental.nonsharableCount(n, r)).isEqualTo(rebuilt.nonsharableCount(n, r));
            }
            assertThat(incremental.samples(n)).isEqualTo(rebuilt.samples(n));
        }
        for (Vm v : rebuilt.vms()) {
            assertThat(incremental.vm(v.id())).isEqualTo(v);
            assertThat(incremental.peersOf(v.id())).isEqualTo(rebuilt.peersOf(v.id()));
        }
        for (int g = 0; g < 5; g++) {
            assertThat(new HashSet<>(incremental.groupMembers("g" + g))).isEqualTo(new HashSet<>(rebuilt.groupMembers("g" + g)));
        }
    }

    @Test
    void chainedRandomMovesMatchAFullRebuild() {
        Random rnd = new Random(11);
        ClusterSnapshot base = random(rnd, 12, 200);
        ClusterSnapshot incremental = base;
        Map<String, Vm> vms = new HashMap<>();
        base.vms().forEach(v -> vms.put(v.id(), v));
        Map<String, Host> hosts = new HashMap<>();
        base.hosts().forEach(h -> hosts.put(h.name(), h));
        for (int step = 0; step < 30; step++) {
            List<Vm> moved = new ArrayList<>();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                Vm v = vms.get("v" + rnd.nextInt(200));
                Vm m = new Vm(v.id(), "h" + rnd.nextInt(12), v.vcpus(), v.memoryMb() + 256, v.diskGb(), v.cpuUtil(),
                        v.memUtil(), v.swapWritesPerS(), v.dirtyRateMbps(), v.workload(), v.nonsharable(),
                        rnd.nextBoolean() ? v.group() : "g" + rnd.nextInt(5));
                vms.put(m.id(), m);
                moved.add(m);
            }
            Host h = hosts.get("h" + rnd.nextInt(12));
            Host changed = h.withUtilisation(rnd.nextDouble(), h.memUtil(), h.swapWritesPerS(), h.nicUtil());
            hosts.put(changed.name(), changed);
            incremental = incremental.withChanges(List.of(changed), moved, Map.of());

            List<Vm> all = base.vms().stream().map(v -> vms.get(v.id())).toList();
            List<Host> allHosts = base.hosts().stream().map(x -> hosts.get(x.name())).toList();
            assertSameAnswers(incremental, new ClusterSnapshot(allHosts, all, base.traffic(), Map.of()));
        }
    }

    @Test
    void unknownHostsAndVmsAreRefused() {
        ClusterSnapshot base = random(new Random(1), 3, 10);
        Vm v = base.vm("v1");
        assertThatThrownBy(() -> base.withChanges(List.of(), List.of(v.onHost("nowhere")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
        assertThatThrownBy(() -> base.withChanges(List.of(), List.of(new Vm("ghost", "h0", 1, 1, 1, 0, 0, 0, 0, null, null, null)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
    }
}
