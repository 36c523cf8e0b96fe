package io.placewise.sim.engine;

import io.placewise.model.LoadSample;
import io.placewise.sim.setup.HostType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** A simulated physical host: its type, the VMs it runs (in arrival order), whether it takes VMs, and its samples. */
public final class SimHost {
    private final int index;
    private final String name;
    private final HostType type;
    final List<SimVm> vms = new ArrayList<>();
    final Deque<LoadSample> window = new ArrayDeque<>();
    boolean enabled = true;

    SimHost(int index, String name, HostType type) {
        this.index = index;
        this.name = name;
        this.type = type;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public HostType type() {
        return type;
    }

    public double totalMips() {
        return type.totalMips();
    }

    /** VMs placed here, the destinations of running migrations included, in arrival order. */
    public List<SimVm> vms() {
        return Collections.unmodifiableList(vms);
    }

    /** Whether placement may use it (a consolidating policy switches hosts off and on). */
    public boolean enabled() {
        return enabled;
    }

    /** CPU its VMs ask for now. */
    public double requestedMips() {
        double sum = 0;
        for (SimVm vm : vms) {
            sum += vm.requestedMips();
        }
        return sum;
    }

    /** CPU its VMs get now: each virtual core at most one physical core's speed, the host at most its capacity. */
    public double allocatedMips() {
        double sum = 0;
        for (SimVm vm : vms) {
            sum += capped(vm, vm.requestedMips());
        }
        return Math.min(sum, totalMips());
    }

    /** The share of its CPU in use now, in [0, 1]. */
    public double utilization() {
        return allocatedMips() / totalMips();
    }

    /** CPU asked for as a share of its capacity, above 1 when oversubscribed. */
    public double demand() {
        return requestedMips() / totalMips();
    }

    /** What {@code vm} gets of {@code mips} here: a virtual core runs on one physical core at most. */
    double capped(SimVm vm, double mips) {
        return Math.min(mips, type.mipsPerCore() * vm.size().cores());
    }

    public long memoryProvisionedMb() {
        long sum = 0;
        for (SimVm vm : vms) {
            sum += vm.size().memoryMb();
        }
        return sum;
    }

    /** The host's recent profiler samples, oldest first. */
    public List<LoadSample> window() {
        return List.copyOf(window);
    }

    @Override
    public String toString() {
        return name;
    }
}
