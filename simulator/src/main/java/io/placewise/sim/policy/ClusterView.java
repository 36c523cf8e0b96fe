package io.placewise.sim.policy;

import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.Vm;
import io.placewise.sim.engine.Datacenter;
import io.placewise.sim.engine.SimHost;
import io.placewise.sim.engine.SimVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replayed data centre as Placewise's core sees a live one: a {@link ClusterSnapshot} with each host's profiler
 * window. CPU capacity is counted in the setup's CPU units (one "vCPU" = {@code cpu_unit_mips}), so a VM's share
 * rescales exactly between hosts of different core speed, as {@code ProjectedCluster.cpuOn} rescales it by vCPUs.
 * With memory not reserved (CloudSim's PlanetLab experiment) a host's memory never limits placement.
 */
public final class ClusterView {
    /** Memory shown for a host when VMs reserve none: more than any set of VMs asks for. */
    static final long UNRESERVED_MB = 1L << 40;

    private ClusterView() {
    }

    public static int units(double mips, double unit) {
        return (int) Math.max(1, Math.round(mips / unit));
    }

    public static ClusterSnapshot of(Datacenter dc) {
        double unit = dc.setup().cpuUnitMips();
        boolean reserve = dc.setup().reserveMemory();
        List<Host> hosts = new ArrayList<>(dc.hosts().size());
        List<Vm> vms = new ArrayList<>();
        Map<String, List<LoadSample>> samples = new HashMap<>();
        for (SimHost h : dc.hosts()) {
            hosts.add(host(dc, h, unit, reserve));
            samples.put(h.name(), h.window());
            double swap = dc.swapWritesPerS(h);
            double memUsed = dc.memoryUsedMb(h);
            for (SimVm vm : h.vms()) {
                double share = memUsed <= 0 ? 0 : dc.memoryUsedMb(vm) / memUsed;
                vms.add(new Vm(vm.id(), h.name(), units(vm.size().mips(), unit), vm.size().memoryMb(), vm.size().diskGb(),
                        Math.min(vm.requestedMips(), h.type().mipsPerCore() * vm.size().cores()) / h.totalMips(),
                        dc.memoryUsedMb(vm) / vm.size().memoryMb(), swap * share, vm.size().dirtyRateMbps(),
                        vm.workload(), Set.of(), null));
            }
        }
        return new ClusterSnapshot(hosts, vms, List.of(), samples);
    }

    static Host host(Datacenter dc, SimHost h, double unit, boolean reserve) {
        long memory = reserve ? h.type().memoryMb() : UNRESERVED_MB;
        double memUtil = reserve ? Math.min(1, dc.memoryUsedMb(h) / h.type().memoryMb()) : 0;
        return new Host(h.name(), new Capacity(units(h.totalMips(), unit), memory, h.type().diskGb(), h.type().nicMbps()),
                h.utilization(), memUtil, dc.swapWritesPerS(h), Math.min(1, dc.netMbps(h) / h.type().nicMbps()), h.enabled());
    }
}
