package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.migrator.DomainUsage;
import io.placewise.model.WorkloadClassifier;
import io.placewise.migrator.agent.api.SampleDtos.Sample;
import io.placewise.migrator.agent.api.SampleDtos.VmSample;
import io.placewise.migrator.agent.profiler.ProcReader;
import io.placewise.migrator.agent.profiler.Profiler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiler's numbers: rates over the interval between two readings of /proc and the hypervisor. */
class ProfilerTest {
    @TempDir
    Path dir;

    @Test
    void hostAndVmRatesComeFromTheDifferenceBetweenTwoReadings() throws Exception {
        Path proc = Agent.ProcFixture.write(dir.resolve("proc"));
        // Each hypervisor reading: both VMs used another half second of CPU; db swapped out 400 KiB more.
        long[] readings = {0};
        io.placewise.migrator.DomainProbe probe = () -> {
            long n = readings[0]++;
            return List.of(new DomainUsage("db", 2, n * 500_000_000L, 2048, 1024, 0, 0, 0, 0, n * 400, 400.0),
                    new DomainUsage("calc", 1, n * 500_000_000L, 1024, 256, 0, 0, 0, 0, 0, 1.0));
        };
        Profiler profiler = new Profiler("node1", new ProcReader(proc, List.of("eth0")),
                probe, WorkloadClassifier.DEFAULT, 1000,
                Duration.ofSeconds(10));

        profiler.sample(); // takes its first reading, waits about a second, reads again
        long t0 = System.nanoTime();
        // Over the next interval: 300 of 1000 jiffies busy, 100 pages swapped out, 12.5 MB received.
        Agent.ProcFixture.writeCounters(proc, 2000, 1500, 100, 12_500_000, 0);
        Thread.sleep(500);
        Sample s = profiler.sample();
        double atMost = (System.nanoTime() - t0) / 1e9;

        assertThat(s.host()).isEqualTo("node1");
        assertThat(s.cpuUtil()).isCloseTo(0.3, within(1e-9));
        assertThat(s.memUtil()).isCloseTo(0.25, within(1e-9));
        assertThat(s.capacity().vcpus()).isEqualTo(2);
        assertThat(s.capacity().memoryMb()).isEqualTo(4096);
        assertThat(s.swapWritesPerS()).isBetween(100 / (atMost + 0.5), 100 / 0.5);
        assertThat(s.nicUtil()).as("100 Mbit over the interval on a 1000 Mbit/s NIC").isBetween(0.1 / (atMost + 0.5), 0.1 / 0.5);
        assertThat(s.traffic()).isEmpty();

        VmSample db = s.vms().stream().filter(v -> v.id().equals("db")).findFirst().orElseThrow();
        VmSample calc = s.vms().stream().filter(v -> v.id().equals("calc")).findFirst().orElseThrow();
        assertThat(db.host()).isEqualTo("node1");
        assertThat(db.dirtyRateMbps()).isEqualTo(400.0);
        assertThat(db.workload()).isEqualTo("memory");
        assertThat(db.memUtil()).isEqualTo(0.5);
        assertThat(calc.cpuUtil()).as("a share of the host's 2 CPUs").isLessThanOrEqualTo(0.5).isPositive();
        assertThat(calc.workload()).isEqualTo("cpu");
    }
}
