package io.placewise.benchmarks;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per candidate host of the workload-affinity filter and the IDC weigher (one whole request
 * through the real pipeline, prepare included, divided by the number of candidates) while the
 * cluster grows from 1k to 100k VMs. The candidates stay {@value #CANDIDATES} hosts of
 * {@value #VMS_PER_HOST} VMs each; the cluster grows by hosts, as real clouds do. Flat numbers
 * across {@code totalVms} mean no plugin scans the cluster per host or per request.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PolicyScalingBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 8)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PolicyScalingBenchmark {
    static final int CANDIDATES = 50;
    static final int VMS_PER_HOST = 20;
    static final int PEERS_OF_NEW_VM = 10;

    @Param({"1000", "10000", "100000"})
    public int totalVms;

    private final PlacementPipeline pipeline = new PlacementPipeline();
    private PolicySet affinityOnly;
    private PolicySet idcOnly;
    private PlacementRequest newDiskIoVm;
    private PlacementRequest moveExistingVm;

    @Setup(Level.Trial)
    public void setUp() {
        int hostCount = Math.max(CANDIDATES, totalVms / VMS_PER_HOST);
        Capacity capacity = new Capacity(64, 262144, 4000, 10000);
        List<Host> hosts = new ArrayList<>(hostCount);
        for (int h = 0; h < hostCount; h++) {
            hosts.add(new Host("host-" + h, capacity, 0.2 + (h % 50) / 100.0, 0.4, 0, 0.2, true));
        }
        // Odd hosts run one disk_io VM among other classes, even hosts none: the disk_io VM below
        // is rejected by half the candidates and passes the other half.
        WorkloadClass[] others = {WorkloadClass.CPU, WorkloadClass.MEMORY, WorkloadClass.NET_RX, WorkloadClass.WEB, WorkloadClass.MIXED};
        List<Vm> vms = new ArrayList<>(totalVms);
        List<Traffic> traffic = new ArrayList<>(2 * totalVms);
        for (int i = 0; i < totalVms; i++) {
            int h = i % hostCount;
            int slot = i / hostCount;
            WorkloadClass w = (h % 2 == 1 && slot == 0) ? WorkloadClass.DISK_IO : others[slot % others.length];
            vms.add(new Vm("vm-" + i, "host-" + h, 2, 4096, 40, 0.01, 0.02, 0, 5, w, Set.of(), null));
            // Two peers each, spread over the cluster.
            traffic.add(new Traffic("vm-" + i, "vm-" + ((i * 7919L + 13) % totalVms), 10 + i % 90));
            traffic.add(new Traffic("vm-" + i, "vm-" + ((i + hostCount) % totalVms), 5));
        }
        ClusterSnapshot cluster = new ClusterSnapshot(hosts, vms, traffic, Map.of());
        List<Host> candidates = hosts.subList(0, CANDIDATES);
        Flavor flavor = new Flavor(2, 4096, 40, Map.of());

        List<PeerTraffic> peers = new ArrayList<>();
        for (int p = 0; p < PEERS_OF_NEW_VM; p++) {
            peers.add(new PeerTraffic("vm-" + (p * 3L % totalVms), 50.0 + p));
        }
        PlacementSpec newVm = new PlacementSpec(null, flavor, WorkloadClass.DISK_IO, Set.of(), null, peers, null, Map.of());
        newDiskIoVm = new PlacementRequest(cluster, newVm, candidates, 1, List.of());

        // An existing VM with measured peers leaves its host: the network-benefit path.
        Vm moved = cluster.vm("vm-" + Math.min(60, totalVms - 1));
        PlacementSpec move = new PlacementSpec(moved.id(), flavor, moved.workload(), Set.of(), null, List.of(), moved.host(), Map.of());
        moveExistingVm = new PlacementRequest(cluster, move, candidates, 1, List.of());

        // The policies come from the ServiceLoader catalogue, as in the bridge (plugins are runtime-only here).
        PolicyCatalog installed = PolicyCatalog.discover();
        affinityOnly = only(List.of(installed.filters().get("AffinityFilter")), List.of());
        idcOnly = only(List.of(), List.of(installed.weighers().get("IdcNetworkBenefitWeigher")));

        // Guard against measuring a short cut: half the candidates (the odd hosts) must be rejected.
        int rejected = pipeline.filter(newDiskIoVm, affinityOnly).rejected().size();
        if (rejected != CANDIDATES / 2) {
            throw new IllegalStateException("expected " + CANDIDATES / 2 + " rejections, got " + rejected);
        }
        // Building the 100k-VM snapshot leaves garbage behind; collect it before measuring.
        System.gc();
    }

    private static PolicySet only(List<HostFilter> filters, List<HostWeigher> weighers) {
        return PolicySet.configure(new PolicyCatalog(filters, weighers), Map.of(), List.of(), Map.of());
    }

    /** AffinityFilter (server groups + workload matrix) for a new disk_io VM, per candidate host. */
    @Benchmark
    @OperationsPerInvocation(CANDIDATES)
    public Object affinityFilterPerHost() {
        return pipeline.filter(newDiskIoVm, affinityOnly);
    }

    /** IdcNetworkBenefitWeigher for a new VM with declared peers, per candidate host. */
    @Benchmark
    @OperationsPerInvocation(CANDIDATES)
    public Object idcWeigherNewVmPerHost() {
        return pipeline.weigh(newDiskIoVm, idcOnly);
    }

    /** IdcNetworkBenefitWeigher for an existing VM being moved (network benefit), per candidate host. */
    @Benchmark
    @OperationsPerInvocation(CANDIDATES)
    public Object idcWeigherMovePerHost() {
        return pipeline.weigh(moveExistingVm, idcOnly);
    }
}
