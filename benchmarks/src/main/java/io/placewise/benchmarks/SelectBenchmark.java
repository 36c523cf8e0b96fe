package io.placewise.benchmarks;

import io.placewise.model.ClusterEditor;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Staleness;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code select} through the real pipeline with every shipped policy enabled at its defaults,
 * over every host of a {@link SyntheticCluster} (about 20 VMs a host, groups and traffic).
 * SampleTime reports the median and p99 of single decisions. The snapshot is the live bridge's
 * kind: every host has reported, staleness ({@code stale_after_s} 60) judged at the request's moment.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SelectBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class SelectBenchmark {
    @Param({"1000", "10000"})
    public int hosts;

    private final PlacementPipeline pipeline = new PlacementPipeline();
    private PolicySet policies;
    private PlacementRequest request;

    @Setup
    public void setUp() {
        ClusterSnapshot built = SyntheticCluster.build(hosts, 20, 42);
        Instant now = Instant.now();
        ClusterEditor edit = built.edit();
        built.hosts().forEach(h -> edit.setLastSampleAt(h.name(), now));
        ClusterSnapshot cluster = edit.build().withStaleness(new Staleness(Duration.ofSeconds(60), false))
                .observedAt(now.plusSeconds(5));
        policies = PolicySet.configure(PolicyCatalog.discover(), Map.of(), List.of(), Map.of());
        if (policies.all().stream().anyMatch(s -> !s.enabled())) {
            throw new IllegalStateException("every policy must be enabled for this benchmark");
        }
        request = PlacementRequest.of(cluster, SyntheticCluster.newVmSpec(cluster));
        PlacementResult r = pipeline.select(request, policies);
        if (r.selected().isEmpty() || r.passed().size() < hosts / 2) {
            throw new IllegalStateException("the synthetic question should leave most hosts: " + r.passed().size());
        }
    }

    @Benchmark
    public PlacementResult select() {
        return pipeline.select(request, policies);
    }
}
