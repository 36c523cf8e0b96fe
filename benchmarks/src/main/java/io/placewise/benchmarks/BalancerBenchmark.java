package io.placewise.benchmarks;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.AuditPlanner;
import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.Goal;
import io.placewise.balancer.PlannedMove;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decision time of one balancer audit (trigger, victims, destinations through the real pipeline with every
 * shipped policy, order) at 4 hosts/32 VMs, 1,000/20,000 and 10,000/200,000, for the {@code balance} and
 * {@code hotspot} goals, without and with a matching history record. Targets: ≤ 1 ms at 4/32, ≤ 1 s at the
 * largest. One host runs at 95 % CPU, the rest at 38–42 %: both goals trigger.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BalancerBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class BalancerBenchmark {
    @Param({"4/32", "1000/20000", "10000/200000"})
    public String hostsVms;

    @Param({"balance", "hotspot"})
    public String goal;

    @Param({"false", "true"})
    public boolean historyMatch;

    private AuditPlanner planner;
    private PolicySet policies;
    private ClusterSnapshot cluster;
    private List<HistoryRecord> history;
    private Goal auditGoal;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = hostsVms.split("/");
        int hostCount = Integer.parseInt(parts[0]);
        int perHost = Integer.parseInt(parts[1]) / hostCount;
        Capacity capacity = new Capacity(32, 131072, 2000, 10000);
        WorkloadClass[] classes = WorkloadClass.values();
        List<Host> hosts = new ArrayList<>(hostCount);
        List<Vm> vms = new ArrayList<>(hostCount * perHost);
        List<Traffic> traffic = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            double cpu = h == 0 ? 0.95 : 0.38 + (h % 5) * 0.01;
            hosts.add(new Host("host-" + h, capacity, cpu, 0.4, 0, 0.2, true));
            for (int v = 0; v < perHost; v++) {
                String id = "vm-" + h + "-" + v;
                vms.add(new Vm(id, "host-" + h, 1, 1024 + 256L * (v % 8), 20, cpu / perHost, 0.5, 0, 5 + v % 40,
                        classes[(h + v) % classes.length], Set.of(), null));
                if (v % 2 == 1) {
                    // Half the VMs talk to a neighbour (IDC), every fourth also to a VM on the next host.
                    traffic.add(new Traffic(id, "vm-" + h + "-" + (v - 1), 50));
                    if (v % 4 == 3 && hostCount > 1) {
                        traffic.add(new Traffic(id, "vm-" + ((h + 1) % hostCount) + "-" + v, 20));
                    }
                }
            }
        }
        cluster = new ClusterSnapshot(hosts, vms, traffic, Map.of());
        policies = PolicySet.configure(PolicyCatalog.discover(), Map.of(), List.of("ComputeFilter", "CapacityFilter",
                "AffinityFilter", "SameNonsharableResourceFilter", "HotspotFilter"), Map.of());
        planner = new AuditPlanner(BalancerSettings.DEFAULT, HotspotDetector.DEFAULT);
        auditGoal = Goal.fromWire(goal).orElseThrow();
        history = List.of();
        if (historyMatch) {
            // The records an executed plan for this very situation would have left, newest first.
            AuditOutcome first = planner.audit(Goal.BALANCE, cluster, policies, List.of(), Set.of());
            List<HistoryRecord> records = new ArrayList<>();
            long id = 1;
            for (PlannedMove m : first.plan()) {
                records.add(0, new HistoryRecord(id++, Instant.now(), m.loadsBefore(), m.vm(), m.source(), m.destination()));
            }
            history = List.copyOf(records);
        }
        AuditOutcome check = planner.audit(auditGoal, cluster, policies, history, Set.of());
        System.out.printf("%n[%s %s history=%s] triggered=%s moves=%d history_match=%s C_m %.3f -> %.3f%n", hostsVms, goal,
                historyMatch, check.triggered(), check.plan().size(), check.historyRecordId(), check.cM(), check.projectedCm());
    }

    @Benchmark
    public AuditOutcome audit() {
        return planner.audit(auditGoal, cluster, policies, history, Set.of());
    }
}
