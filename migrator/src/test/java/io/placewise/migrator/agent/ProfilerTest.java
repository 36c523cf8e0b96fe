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
            return List.of(new DomainUsage("db", 2, n * 500_000_000L, 2048, 1024, 0, 0, 0, 0, n * 400, 400.0, false),
                    new DomainUsage("calc", 1, n * 500_000_000L, 1024, 256, 0, 0, 0, 0, 0, 1.0, false));
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

    /**
     * The lab's two libvirt hosts share one kernel: each agent's host CPU is what its own cgroup
     * subtree used (v1 cpuacct.usage or v2 cpu.stat, ns/µs) out of its configured CPUs, not the
     * machine's /proc/stat (which here says idle).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"cpuacct.usage, 1", "cpu.stat, 1000"})
    void aCpuCgroupIsTheHostsCpuViewWhenSeveralHostsShareOneKernel(String file, long nsPerUnit) throws Exception {
        Path proc = Agent.ProcFixture.write(dir.resolve("proc"));
        Path cgroup = java.nio.file.Files.createDirectories(dir.resolve("cgroup-labA"));
        java.util.function.LongConsumer used = ns -> {
            try {
                java.nio.file.Files.writeString(cgroup.resolve(file), file.equals("cpu.stat")
                        ? "usage_usec " + ns / nsPerUnit + "\nuser_usec 0\nsystem_usec 0\n" : ns + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        used.accept(5_000_000_000L);
        Profiler profiler = new Profiler("labA", new ProcReader(proc, List.of("eth0"), cgroup, 1), List::of,
                WorkloadClassifier.DEFAULT, 1000, Duration.ofSeconds(10));
        profiler.sample();
        long t0 = System.nanoTime();
        Agent.ProcFixture.writeCounters(proc, 2000, 1800, 0, 0, 0); // the whole machine: idle since the last reading
        used.accept(5_000_000_000L + 400_000_000L); // this host's guests: 0.4 s of CPU
        Thread.sleep(500);
        Sample s = profiler.sample();
        double atMost = (System.nanoTime() - t0) / 1e9;

        assertThat(s.capacity().vcpus()).isEqualTo(1);
        assertThat(s.cpuUtil()).as("0.4 CPU-seconds over the interval on 1 CPU")
                .isPositive().isBetween(0.4 / (atMost + 0.5), Math.min(1, 0.4 / 0.5));
        assertThat(s.memUtil()).isCloseTo(0.25, within(1e-9));
    }

    /**
     * A VM migrating in still runs, and talks, on its source: traffic to its address is NIC traffic
     * of this host, not IDC, and the sample names no address for it (the bridge learns it from the
     * source). The flow counters are conntrack's, cumulative: 250,000 B more over the interval.
     */
    @Test
    void aVmMigratingInIsNoEndOfIdcTraffic() throws Exception {
        Path proc = Agent.ProcFixture.write(dir.resolve("proc"));
        java.net.InetAddress web = java.net.InetAddress.getByName("10.99.0.11");
        java.net.InetAddress arriving = java.net.InetAddress.getByName("10.99.0.12");
        io.placewise.migrator.DomainProbe probe = () -> List.of(
                new DomainUsage("web", 1, 0, 1024, 256, 0, 0, 0, 0, 0, null, false),
                new DomainUsage("arriving", 1, 0, 1024, 256, 0, 0, 0, 0, 0, null, true));
        long[] sent = {1_000_000};
        io.placewise.migrator.agent.profiler.traffic.FlowSource flows = () -> List.of(
                new io.placewise.migrator.agent.profiler.traffic.ConntrackFlow(7, 0, 17, web, arriving, 40000, 5001,
                        sent[0], 0));
        io.placewise.migrator.DomainAddresses addresses = () -> java.util.Map.of("web", List.of(web), "arriving",
                List.of(arriving));
        Profiler profiler = new Profiler("node1", new ProcReader(proc, List.of("eth0")), probe,
                WorkloadClassifier.DEFAULT, 1000, Duration.ofSeconds(10), flows, addresses);

        profiler.sample();
        sent[0] += 250_000;
        Sample s = profiler.sample();

        assertThat(s.traffic()).as("no IDC with a VM that is not this host's yet").isEmpty();
        assertThat(s.nicTraffic()).singleElement().satisfies(t -> {
            assertThat(t.src()).isEqualTo("web");
            assertThat(t.peerAddress()).isEqualTo("10.99.0.12");
            assertThat(t.mbps()).isPositive();
        });
        VmSample in = s.vms().stream().filter(v -> v.id().equals("arriving")).findFirst().orElseThrow();
        assertThat(in.migratingIn()).isTrue();
        assertThat(in.addresses()).isNull();
        VmSample w = s.vms().stream().filter(v -> v.id().equals("web")).findFirst().orElseThrow();
        assertThat(w.migratingIn()).isNull();
        assertThat(w.addresses()).containsExactly("10.99.0.11");
    }
}
