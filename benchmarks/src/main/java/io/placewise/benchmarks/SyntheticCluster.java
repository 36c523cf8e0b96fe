package io.placewise.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.service.http.JsonMapperProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic cluster for benchmarks: {@code hosts} hosts of 64 vCPU / 256 GiB / 10 Gbit/s,
 * {@code vmsPerHost} VMs each of every workload class (disk_io on a third of the hosts), server
 * groups of 10 spread over hosts, one traffic pair per VM (half of them IDC), a window of ten
 * load samples per host; and the question asked of it: a 2-vCPU CPU-bound VM in an anti-affinity
 * group, talking to three existing VMs.
 */
public final class SyntheticCluster {
    private SyntheticCluster() {
    }

    public static ClusterSnapshot build(int hostCount, int vmsPerHost, long seed) {
        Random rnd = new Random(seed);
        Capacity cap = new Capacity(64, 262_144, 4_000, 10_000);
        List<Host> hosts = new ArrayList<>(hostCount);
        Map<String, List<LoadSample>> samples = new HashMap<>();
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        for (int h = 0; h < hostCount; h++) {
            String name = String.format("host-%05d", h);
            double cpu = 0.15 + 0.6 * rnd.nextDouble();
            hosts.add(new Host(name, cap, cpu, 0.3 + 0.4 * rnd.nextDouble(), rnd.nextInt(100), 0.1 + 0.3 * rnd.nextDouble(), true));
            List<LoadSample> window = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                window.add(new LoadSample(t0.plusSeconds(10L * k), Math.min(1, cpu + 0.05 * rnd.nextGaussian()), 0.5, 20, 0.2));
            }
            samples.put(name, window);
        }
        WorkloadClass[] classes = {WorkloadClass.CPU, WorkloadClass.MEMORY, WorkloadClass.NET_RX, WorkloadClass.WEB, WorkloadClass.MIXED};
        List<Vm> vms = new ArrayList<>(hostCount * vmsPerHost);
        List<Traffic> traffic = new ArrayList<>(hostCount * vmsPerHost);
        for (int h = 0; h < hostCount; h++) {
            for (int j = 0; j < vmsPerHost; j++) {
                int n = h * vmsPerHost + j;
                WorkloadClass w = (j == 0 && h % 3 == 0) ? WorkloadClass.DISK_IO : classes[j % classes.length];
                String group = n % 7 == 0 ? "g" + (n / 70) : null;
                vms.add(new Vm(vmId(n), hosts.get(h).name(), 2, 4096, 40, 0.02, 0.5, 0, 5 + rnd.nextInt(200), w,
                        Set.of(), group));
                if (j > 0) {
                    // Half the pairs stay on the host (IDC), half go to a random VM elsewhere.
                    int peer = rnd.nextBoolean() ? n - 1 : rnd.nextInt(hostCount * vmsPerHost);
                    if (peer != n) {
                        traffic.add(new Traffic(vmId(n), vmId(peer), 1 + rnd.nextInt(100)));
                    }
                }
            }
        }
        // A traffic pair may have been drawn twice; keep the first.
        Map<List<String>, Traffic> unique = new LinkedHashMap<>();
        traffic.forEach(t -> unique.putIfAbsent(List.of(t.src(), t.dst()), t));
        return new ClusterSnapshot(hosts, vms, List.copyOf(unique.values()), samples);
    }

    static String vmId(int n) {
        return String.format("vm-%07d", n);
    }

    /** The question: a 2-vCPU CPU-bound VM of group g3 (anti-affinity), talking to three VMs. */
    public static PlacementSpec newVmSpec(ClusterSnapshot cluster) {
        int total = cluster.vms().size();
        List<PeerTraffic> peers = List.of(new PeerTraffic(vmId(total / 3), 150), new PeerTraffic(vmId(total / 2), 80),
                new PeerTraffic(vmId(total - 1), 20));
        List<String> members = cluster.groupMembers("g3").stream().map(Vm::id).toList();
        return new PlacementSpec("bench-new-vm", new Flavor(2, 4096, 40, Map.of()), WorkloadClass.CPU, Set.of(),
                new ServerGroup("g3", GroupPolicy.ANTI_AFFINITY, Set.copyOf(members)), peers, null, Map.of());
    }

    /**
     * Writes {@code cluster.json} (for {@code PUT /v1/cluster}) and {@code select.json} (the same
     * question as the JMH benchmark, for {@code POST /v1/select}) into a directory.
     * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.placewise.benchmarks.SyntheticCluster DIR HOSTS [VMS_PER_HOST]}
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int hosts = Integer.parseInt(args[1]);
        int perHost = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        ClusterSnapshot cluster = build(hosts, perHost, 42);
        ObjectMapper json = JsonMapperProvider.MAPPER;
        Files.createDirectories(dir);
        json.writeValue(dir.resolve("cluster.json").toFile(), ClusterMapper.toDto(cluster));
        PlacementSpec spec = newVmSpec(cluster);
        Map<String, Object> body = Map.of("spec", Map.of(
                "instance_uuid", spec.instanceUuid(),
                "flavor", Map.of("vcpus", 2, "memory_mb", 4096, "disk_gb", 40),
                "workload", "cpu",
                "group", Map.of("name", "g3", "policy", "anti-affinity", "members", spec.group().members()),
                "traffic", spec.traffic().stream().map(t -> Map.of("peer", t.peer(), "mbps", t.mbps())).toList()));
        json.writeValue(dir.resolve("select.json").toFile(), body);
        System.out.printf("wrote %s: %d hosts, %d VMs, %d traffic pairs%n", dir, cluster.hosts().size(),
                cluster.vms().size(), cluster.traffic().size());
    }
}
