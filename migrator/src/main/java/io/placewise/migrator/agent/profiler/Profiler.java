package io.placewise.migrator.agent.profiler;

import io.placewise.migrator.DomainAddresses;
import io.placewise.migrator.DomainProbe;
import io.placewise.migrator.DomainUsage;
import io.placewise.model.WorkloadClassifier;
import io.placewise.migrator.agent.api.SampleDtos.Capacity;
import io.placewise.migrator.agent.api.SampleDtos.NicTraffic;
import io.placewise.migrator.agent.api.SampleDtos.Traffic;
import io.placewise.migrator.agent.profiler.traffic.ConntrackFlow;
import io.placewise.migrator.agent.profiler.traffic.FlowSource;
import io.placewise.migrator.agent.profiler.traffic.InterVmTraffic;
import java.net.InetAddress;
import io.placewise.migrator.agent.api.SampleDtos.Sample;
import io.placewise.migrator.agent.api.SampleDtos.VmSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's profiler (SPEC "Profiler", seed 004 §3.4.1, seed 000 §3.1 step 1): turns two
 * readings of the host's {@code /proc} counters and the hypervisor's domain counters into the
 * rates of one interval — host and per-VM CPU, memory, swap writes, NIC use — adds each VM's
 * dirty rate as the hypervisor measured it, and names each VM's workload class from those numbers.
 * A VM migrating in is reported with {@code migrating_in}: it is not this host's yet.
 * Traffic between VMs is measured from the kernel's connection-tracking counters
 * ({@link InterVmTraffic}), mapped to VMs by the addresses libvirt reports for their interfaces:
 * {@code traffic} is the IDC part (both ends on this host), {@code nic_traffic} the part that
 * crosses the NIC (the peer by its address). Without a flow source, both are empty. A VM migrating
 * in is no end of IDC traffic: it still runs, and talks, on its source.
 */
public final class Profiler {
    private static final Logger LOG = LoggerFactory.getLogger(Profiler.class);
    /** The first sample needs a previous reading; this is how long it waits for one. */
    private static final long FIRST_INTERVAL_MS = 1000;

    private final String hostName;
    private final ProcReader proc;
    private final DomainProbe probe;
    private final WorkloadClassifier classifier;
    private final double nicMbps;
    private final java.time.Duration maxAge;
    private final FlowSource flows;
    private final DomainAddresses addresses;
    private final InterVmTraffic traffic = new InterVmTraffic();
    private volatile boolean flowsFailed;
    private HostCounters lastHost;
    private Map<String, DomainUsage> lastVms = Map.of();
    private volatile Sample latest;

    /** @param maxAge how old {@link #latest} may be before it is taken again (the sampling interval) */
    public Profiler(String hostName, ProcReader proc, DomainProbe probe, WorkloadClassifier classifier, double nicMbps,
                    java.time.Duration maxAge) {
        this(hostName, proc, probe, classifier, nicMbps, maxAge, null, null);
    }

    /**
     * @param flows     the host's tracked connections (null: no traffic measurement)
     * @param addresses the VMs' interface addresses (null: no traffic measurement)
     */
    public Profiler(String hostName, ProcReader proc, DomainProbe probe, WorkloadClassifier classifier, double nicMbps,
                    java.time.Duration maxAge, FlowSource flows, DomainAddresses addresses) {
        this.flows = flows;
        this.addresses = addresses;
        this.hostName = hostName;
        this.maxAge = maxAge;
        this.proc = proc;
        this.probe = probe;
        this.classifier = classifier;
        this.nicMbps = nicMbps;
    }

    /** The latest sample; takes one now when there is none or it is older than the interval. */
    public Sample latest() {
        Sample s = latest;
        if (s != null && s.at().plus(maxAge).isAfter(Instant.now())) {
            return s;
        }
        return sample();
    }

    /** Reads the counters now and reports the rates since the previous reading. */
    public synchronized Sample sample() {
        if (lastHost == null) {
            lastHost = proc.read();
            lastVms = domains();
            measureTraffic(Map.of(), 1); // the counters' baseline
            try {
                Thread.sleep(FIRST_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        HostCounters now = proc.read();
        Map<String, DomainUsage> vms = domains();
        HostCounters before = lastHost;
        double seconds = Math.max((now.atNanos() - before.atNanos()) / 1e9, 1e-3);

        long totalJiffies = now.cpuTotalJiffies() - before.cpuTotalJiffies();
        double cpuUtil = totalJiffies <= 0 ? 0
                : 1 - (double) (now.cpuIdleJiffies() - before.cpuIdleJiffies()) / totalJiffies;
        double memUtil = now.memTotalKib() <= 0 ? 0 : 1 - (double) now.memAvailableKib() / now.memTotalKib();
        double swapPerS = Math.max(0, now.pswpout() - before.pswpout()) / seconds;
        double nicBits = Math.max(Math.max(0, now.nicRxBytes() - before.nicRxBytes()),
                Math.max(0, now.nicTxBytes() - before.nicTxBytes())) * 8.0 / seconds;

        Map<String, List<InetAddress>> vmAddresses = addresses(vms.values().stream()
                .filter(u -> !u.migratingIn()).map(DomainUsage::domain).collect(Collectors.toSet()));
        InterVmTraffic.Result measured = measureTraffic(vmAddresses, seconds);
        List<VmSample> vmSamples = new ArrayList<>();
        for (DomainUsage u : vms.values()) {
            List<InetAddress> a = vmAddresses.get(u.domain());
            vmSamples.add(vm(u, lastVms.get(u.domain()), seconds, now.cpus(),
                    a == null || a.isEmpty() ? null : a.stream().map(InetAddress::getHostAddress).toList()));
        }
        lastHost = now;
        lastVms = vms;
        Sample s = new Sample(Instant.now(), hostName, unit(cpuUtil), unit(memUtil), swapPerS,
                unit(nicBits / (nicMbps * 1e6)), new Capacity(now.cpus(), now.memTotalKib() / 1024, nicMbps),
                vmSamples,
                measured.idc().stream().map(t -> new Traffic(t.src(), t.dst(), t.mbps())).toList(),
                measured.nic().stream().map(t -> new NicTraffic(t.src(), t.peer().getHostAddress(), t.mbps())).toList());
        latest = s;
        return s;
    }

    /** The addresses of these VMs; empty when libvirt cannot say (the traffic is then not attributed). */
    private Map<String, List<InetAddress>> addresses(Set<String> vms) {
        if (addresses == null || flows == null) {
            return Map.of();
        }
        try {
            Map<String, List<InetAddress>> out = new HashMap<>(addresses.addresses());
            out.keySet().retainAll(vms);
            return out;
        } catch (RuntimeException e) {
            LOG.warn("profiler: VM addresses not read: {}", e.getMessage());
            return Map.of();
        }
    }

    private InterVmTraffic.Result measureTraffic(Map<String, List<InetAddress>> vmAddresses, double seconds) {
        if (flows == null) {
            return new InterVmTraffic.Result(List.of(), List.of());
        }
        List<ConntrackFlow> now;
        try {
            now = flows.flows();
            flowsFailed = false;
        } catch (RuntimeException e) {
            if (!flowsFailed) { // once per outage, not every interval
                LOG.warn("profiler: connection counters not read, no traffic reported: {}", e.getMessage());
            }
            flowsFailed = true;
            return new InterVmTraffic.Result(List.of(), List.of());
        }
        Map<InetAddress, String> byAddress = new HashMap<>();
        vmAddresses.forEach((vm, list) -> list.forEach(a -> byAddress.put(a, vm)));
        return traffic.measure(now, byAddress, seconds);
    }

    private VmSample vm(DomainUsage now, DomainUsage before, double seconds, int hostCpus, List<String> addresses) {
        // A VM seen for the first time has no previous counters: its rates start at the next sample.
        DomainUsage b = before != null ? before : now;
        double cpuSeconds = Math.max(0, now.cpuTimeNs() - b.cpuTimeNs()) / 1e9;
        double shareOfHost = unit(cpuSeconds / seconds / hostCpus);
        double perVcpu = unit(cpuSeconds / seconds / Math.max(1, now.vcpus()));
        double swapPerS = Math.max(0, now.swapOutKib() - b.swapOutKib()) / 4.0 / seconds; // 4 KiB pages, as pswpout
        double diskMbPerS = Math.max(0, now.blockReadBytes() - b.blockReadBytes()
                + now.blockWriteBytes() - b.blockWriteBytes()) / 1e6 / seconds;
        double rxMbps = Math.max(0, now.netRxBytes() - b.netRxBytes()) * 8 / 1e6 / seconds;
        double txMbps = Math.max(0, now.netTxBytes() - b.netTxBytes()) * 8 / 1e6 / seconds;
        double dirty = now.dirtyRateMbps() == null ? 0 : now.dirtyRateMbps();
        String workload = classifier.classify(new WorkloadClassifier.Usage(perVcpu, dirty, swapPerS, diskMbPerS,
                rxMbps, txMbps)).wireName();
        double memUtil = now.memoryMib() <= 0 ? 0 : unit((double) now.memoryUsedMib() / now.memoryMib());
        return new VmSample(now.domain(), hostName, now.vcpus(), now.memoryMib(), shareOfHost, memUtil, swapPerS,
                now.dirtyRateMbps(), workload, addresses, now.migratingIn() ? Boolean.TRUE : null);
    }

    private Map<String, DomainUsage> domains() {
        Map<String, DomainUsage> out = new HashMap<>();
        try {
            probe.sample().forEach(u -> out.put(u.domain(), u));
        } catch (RuntimeException e) {
            // The host's own numbers are still worth reporting when the hypervisor does not answer.
            LOG.warn("profiler: domain stats not read: {}", e.getMessage());
        }
        return out;
    }

    private static double unit(double x) {
        return Double.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0;
    }
}
