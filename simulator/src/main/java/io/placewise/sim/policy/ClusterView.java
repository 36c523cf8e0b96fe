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
        return new Builder(dc).build();
    }

    /** The view, kept up to date host by host while VMs are placed one after the other. */
    static final class Builder {
        private final Datacenter dc;
        private final double unit;
        private final boolean reserve;
        private final List<Host> hosts = new ArrayList<>();
        private final Map<String, Integer> position = new HashMap<>();
        private final List<Vm> vms = new ArrayList<>();
        private final Map<String, List<LoadSample>> samples = new HashMap<>();

        Builder(Datacenter dc) {
            this.dc = dc;
            this.unit = dc.setup().cpuUnitMips();
            this.reserve = dc.setup().reserveMemory();
            for (SimHost h : dc.hosts()) {
                position.put(h.name(), hosts.size());
                hosts.add(host(dc, h, unit, reserve));
                samples.put(h.name(), h.window());
                for (SimVm vm : h.vms()) {
                    vms.add(vm(h, vm));
                }
            }
        }

        /** {@code vm} has just been placed on {@code h}. */
        void placed(SimHost h, SimVm vm) {
            hosts.set(position.get(h.name()), host(dc, h, unit, reserve));
            vms.add(vm(h, vm));
        }

        ClusterSnapshot build() {
            return new ClusterSnapshot(hosts, vms, List.of(), samples);
        }

        private Vm vm(SimHost h, SimVm vm) {
            double memUsed = dc.memoryUsedMb(h);
            double share = memUsed <= 0 ? 0 : dc.memoryUsedMb(vm) / memUsed;
            return new Vm(vm.id(), h.name(), units(vm.size().mips(), unit), vm.size().memoryMb(), vm.size().diskGb(),
                    Math.min(vm.requestedMips(), h.type().mipsPerCore() * vm.size().cores()) / h.totalMips(),
                    dc.memoryUsedMb(vm) / vm.size().memoryMb(), dc.swapWritesPerS(h) * share, vm.size().dirtyRateMbps(),
                    vm.workload(), Set.of(), null);
        }
    }

    static Host host(Datacenter dc, SimHost h, double unit, boolean reserve) {
        long memory = reserve ? h.type().memoryMb() : UNRESERVED_MB;
        double memUtil = reserve ? Math.min(1, dc.memoryUsedMb(h) / h.type().memoryMb()) : 0;
        return new Host(h.name(), new Capacity(units(h.totalMips(), unit), memory, h.type().diskGb(), h.type().nicMbps()),
                h.utilization(), memUtil, dc.swapWritesPerS(h), Math.min(1, dc.netMbps(h) / h.type().nicMbps()), h.enabled());
    }
}
