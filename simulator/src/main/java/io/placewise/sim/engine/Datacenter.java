package io.placewise.sim.engine;

import io.placewise.model.LoadSample;
import io.placewise.model.WorkloadClassifier;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.setup.VmType;
import io.placewise.sim.trace.Trace;
import io.placewise.sim.trace.VmTrace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The replayed data centre at the current interval: hosts, the VMs alive now and where they run, each host's
 * profiler window. Policies read it and place VMs; migrations go through the {@link Simulation}.
 */
public final class Datacenter {
    /** Pages of 4 KiB in one MiB, for the swap estimate. */
    private static final double PAGES_PER_MB = 256;

    private final Setup setup;
    private final List<SimHost> hosts = new ArrayList<>();
    private final Map<String, SimHost> hostsByName = new LinkedHashMap<>();
    private final List<SimVm> all = new ArrayList<>();
    private final Map<String, SimVm> vmsById = new LinkedHashMap<>();
    private final List<SimVm> alive = new ArrayList<>();
    private final int sampleWindow;
    private int k = -1;

    Datacenter(Setup setup, Trace trace, int sampleWindow) {
        this.setup = setup;
        this.sampleWindow = sampleWindow;
        List<HostType> order = setup.hostsInOrder();
        int width = String.valueOf(order.size() - 1).length();
        for (int i = 0; i < order.size(); i++) {
            String name = setup.hostNames().isEmpty() ? String.format(Locale.ROOT, "h%0" + width + "d", i)
                    : setup.hostNames().get(i);
            SimHost h = new SimHost(i, name, order.get(i));
            hosts.add(h);
            hostsByName.put(h.name(), h);
        }
        List<VmTrace> traces = trace.vms();
        int perType = setup.vmTypes().isEmpty() ? 0 : (int) Math.ceil((double) traces.size() / setup.vmTypes().size());
        for (int i = 0; i < traces.size(); i++) {
            VmTrace t = traces.get(i);
            VmType size = sizeOf(t, i, perType);
            SimVm vm = new SimVm(i, size, setup.retireIdleVms() ? t.endingAt(firstIdlePair(t)) : t);
            all.add(vm);
            vmsById.put(vm.id(), vm);
        }
    }

    /** The trace's own size when it provisions the VM; else CloudSim's rule: VM i gets type i / ceil(n / types). */
    private VmType sizeOf(VmTrace t, int i, int perType) {
        if (t.cores() > 0 && t.cpuMhz() > 0 && t.memoryMb() > 0) {
            return new VmType(t.source() + "-" + t.cores() + "c-" + t.memoryMb() + "mb", t.cpuMhz(), t.cores(), t.memoryMb(),
                    setup.vmDiskGb(), setup.dirtyRateMbps());
        }
        if (setup.vmTypes().isEmpty()) {
            throw new IllegalArgumentException("VM " + t.id() + ": its trace provisions no CPU or memory and the setup "
                    + "has no vm_types");
        }
        return setup.vmTypes().get(Math.min(setup.vmTypes().size() - 1, i / perType));
    }

    /**
     * CloudSim samples at 300.1 s, 600.1 s, …, between two trace values: a VM asks for no CPU only when two
     * successive samples are 0, and is then removed as finished. Sampling starts at the second value.
     */
    static int firstIdlePair(VmTrace t) {
        double[] c = t.cpu();
        for (int i = Math.max(1, t.start()); i < t.end(); i++) {
            double next = i + 1 < c.length ? c[i + 1] : c[i];
            if (c[i] == 0 && next == 0) {
                return i;
            }
        }
        return t.end();
    }

    public Setup setup() {
        return setup;
    }

    /** The current interval. */
    public int interval() {
        return k;
    }

    public double timeS() {
        return (double) k * setup.intervalS();
    }

    public List<SimHost> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public SimHost host(String name) {
        return hostsByName.get(name);
    }

    /** Every VM alive now, placed or not, in trace order. */
    public List<SimVm> vms() {
        return Collections.unmodifiableList(alive);
    }

    public SimVm vm(String id) {
        return vmsById.get(id);
    }

    /** Every VM of the trace, alive or not. */
    List<SimVm> allVms() {
        return all;
    }

    /** Places a VM that has no host. */
    public void place(SimVm vm, SimHost host) {
        if (vm.host != null) {
            throw new IllegalStateException(vm.id() + " is already on " + vm.host.name());
        }
        if (!alive.contains(vm)) {
            throw new IllegalStateException(vm.id() + " is not alive at interval " + k);
        }
        vm.host = host;
        host.vms.add(vm);
    }

    /** Memory the VM's host counts as in use: the trace's measurement, or its whole size when not measured. */
    public double memoryUsedMb(SimVm vm) {
        return vm.memoryUsedMb(k);
    }

    public double memoryUsedMb(SimHost h) {
        double sum = 0;
        for (SimVm vm : h.vms) {
            sum += vm.memoryUsedMb(k);
        }
        return sum;
    }

    /** NIC traffic (received + sent) of the host's VMs, Mbit/s; the traces know no inter-VM traffic, so all crosses the NIC. */
    public double netMbps(SimHost h) {
        double sum = 0;
        for (SimVm vm : h.vms) {
            sum += vm.netRxMbps(k) + vm.netTxMbps(k);
        }
        return sum;
    }

    /**
     * Swap writes the host's memory pressure causes, pages/s: with memory reserved and more in use than the host has,
     * the excess is written out once per interval.
     */
    public double swapWritesPerS(SimHost h) {
        if (!setup.reserveMemory()) {
            return 0;
        }
        double excess = memoryUsedMb(h) - h.type().memoryMb();
        return excess <= 0 ? 0 : excess * PAGES_PER_MB / setup.intervalS();
    }

    /** Hosts with a migration running now. */
    public java.util.Set<String> busyHosts() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (SimVm vm : alive) {
            if (vm.host != null && vm.migratingAt(timeS())) {
                out.add(vm.host.name());
                if (vm.migrationSource != null) {
                    out.add(vm.migrationSource.name());
                }
            }
        }
        return out;
    }

    /** Advances to interval {@code next}: VMs that end leave, the loads of the rest are sampled, new VMs appear. */
    List<SimVm> advance(int next) {
        k = next;
        List<SimVm> arriving = new ArrayList<>();
        alive.removeIf(vm -> {
            if (!vm.trace().aliveAt(k)) {
                if (vm.host != null) {
                    vm.host.vms.remove(vm);
                    vm.host = null;
                }
                return true;
            }
            return false;
        });
        for (SimVm vm : all) {
            if (vm.trace().start() == k && vm.trace().aliveAt(k)) {
                alive.add(vm);
                arriving.add(vm);
            }
        }
        alive.sort(java.util.Comparator.comparingInt(SimVm::index));
        for (SimVm vm : alive) {
            // CloudSim's first sample is at the second trace value (300.1 s).
            vm.sample(k, k >= 1);
            vm.setWorkload(WorkloadClassifier.DEFAULT.classify(new WorkloadClassifier.Usage(vm.cpu(),
                    vm.size().dirtyRateMbps(), 0, vm.diskMbPerS(k), vm.netRxMbps(k), vm.netTxMbps(k))));
        }
        return arriving;
    }

    /** The profilers' report for this interval, appended to each host's window. */
    void recordSamples() {
        Instant at = Instant.ofEpochSecond((long) timeS());
        for (SimHost h : hosts) {
            double mem = Math.min(1, memoryUsedMb(h) / h.type().memoryMb());
            double nic = Math.min(1, netMbps(h) / h.type().nicMbps());
            h.window.addLast(new LoadSample(at, h.utilization(), mem, swapWritesPerS(h), nic));
            while (h.window.size() > sampleWindow) {
                h.window.removeFirst();
            }
        }
    }

    /** Moves {@code vm} to {@code dest} now (the migration's cost is accounted by the simulation). */
    void move(SimVm vm, SimHost dest, double untilS) {
        SimHost src = vm.host;
        src.vms.remove(vm);
        dest.vms.add(vm);
        vm.host = dest;
        if (!vm.migratingAt(timeS())) {
            vm.migrationSource = src;
        }
        vm.inFlightUntilS = Math.max(vm.inFlightUntilS, untilS);
    }
}
