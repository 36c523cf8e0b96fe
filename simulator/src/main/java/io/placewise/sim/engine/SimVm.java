package io.placewise.sim.engine;

import io.placewise.model.WorkloadClass;
import io.placewise.sim.setup.VmType;
import io.placewise.sim.trace.VmTrace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A replayed VM: its size, its trace, where it runs, and its load at the current interval. */
public final class SimVm {
    /** CloudSim's {@code PowerVm.HISTORY_LENGTH}: CPU samples a VM keeps. */
    public static final int HISTORY = 30;

    private final int index;
    private final VmType size;
    private final VmTrace trace;
    private final List<Double> history = new ArrayList<>();
    SimHost host;
    /** The host a running (or the last) migration left. */
    SimHost migrationSource;
    double inFlightUntilS = Double.NEGATIVE_INFINITY;
    private double cpu;
    private WorkloadClass workload = WorkloadClass.MIXED;

    SimVm(int index, VmType size, VmTrace trace) {
        this.index = index;
        this.size = size;
        this.trace = trace;
    }

    public int index() {
        return index;
    }

    public String id() {
        return trace.id();
    }

    public VmType size() {
        return size;
    }

    public VmTrace trace() {
        return trace;
    }

    /** The host it runs on (the destination once a migration has started), or null before it is placed. */
    public SimHost host() {
        return host;
    }

    /** Busy fraction of its own CPU at the current interval. */
    public double cpu() {
        return cpu;
    }

    /** CPU it asks for now, in the hosts' units. */
    public double requestedMips() {
        return cpu * size.mips();
    }

    /** CPU it asks for at interval {@code k} (the trace's last value past its end). */
    public double requestedMipsAt(int k) {
        double[] c = trace.cpu();
        return c[Math.min(k, c.length - 1)] * size.mips();
    }

    public double memoryUsedMb(int k) {
        double[] m = trace.memoryUsedMb();
        return m == null ? size.memoryMb() : Math.min(size.memoryMb(), m[Math.min(k, m.length - 1)]);
    }

    public double diskMbPerS(int k) {
        double[] d = trace.diskMbPerS();
        return d == null ? 0 : d[Math.min(k, d.length - 1)];
    }

    public double netRxMbps(int k) {
        double[] d = trace.netRxMbps();
        return d == null ? 0 : d[Math.min(k, d.length - 1)];
    }

    public double netTxMbps(int k) {
        double[] d = trace.netTxMbps();
        return d == null ? 0 : d[Math.min(k, d.length - 1)];
    }

    /** CPU samples, newest first, at most {@link #HISTORY} (CloudSim's {@code PowerVm.getUtilizationHistory}). */
    public List<Double> history() {
        return Collections.unmodifiableList(history);
    }

    public WorkloadClass workload() {
        return workload;
    }

    void setWorkload(WorkloadClass w) {
        this.workload = w;
    }

    /** Whether a migration of it is still running at {@code timeS}. */
    public boolean migratingAt(double timeS) {
        return inFlightUntilS > timeS;
    }

    void sample(int k, boolean keepHistory) {
        double[] c = trace.cpu();
        cpu = c[Math.min(k, c.length - 1)];
        if (keepHistory) {
            history.add(0, cpu);
            if (history.size() > HISTORY) {
                history.remove(HISTORY);
            }
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
