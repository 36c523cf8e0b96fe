package io.placewise.sim.trace;

import java.util.Objects;

/**
 * One VM's measured load on the replay grid (one value per interval). CPU is the busy fraction of the VM's own
 * provisioned CPU (0–1); memory, disk and network are absolute. Values outside {@code [start, end)} are not used:
 * the VM does not exist there.
 *
 * @param cores          vCPUs the trace provisions (0 when the trace does not say, as PlanetLab)
 * @param cpuMhz         provisioned CPU in MHz (0 when the trace does not say; the setup's VM type decides then)
 * @param memoryMb       provisioned memory in MiB (0 when the trace does not say)
 * @param memoryUsedMb   memory in use per interval, MiB (null when not measured)
 * @param diskMbPerS     block read + write per interval, MB/s (null when not measured)
 * @param netRxMbps      network received per interval, Mbit/s (null when not measured)
 * @param netTxMbps      network transmitted per interval, Mbit/s (null when not measured)
 */
public record VmTrace(String id, String source, int cores, double cpuMhz, long memoryMb, double[] cpu,
                      double[] memoryUsedMb, double[] diskMbPerS, double[] netRxMbps, double[] netTxMbps,
                      int start, int end) {
    public VmTrace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cpu, "cpu");
        if (start < 0 || end > cpu.length || start > end) {
            throw new IllegalArgumentException(id + ": lifetime [" + start + ", " + end + ") outside 0.." + cpu.length);
        }
    }

    public int intervals() {
        return cpu.length;
    }

    /** Whether the VM exists at interval {@code k}. */
    public boolean aliveAt(int k) {
        return k >= start && k < end;
    }

    public boolean measuresMemory() {
        return memoryUsedMb != null;
    }

    public boolean measuresNetwork() {
        return netRxMbps != null;
    }

    /** This trace ending at {@code newEnd} (exclusive). */
    public VmTrace endingAt(int newEnd) {
        return new VmTrace(id, source, cores, cpuMhz, memoryMb, cpu, memoryUsedMb, diskMbPerS, netRxMbps, netTxMbps,
                start, Math.min(end, newEnd));
    }

    /** The first {@code n} intervals only. */
    public VmTrace truncated(int n) {
        if (n >= cpu.length) {
            return this;
        }
        return new VmTrace(id, source, cores, cpuMhz, memoryMb, java.util.Arrays.copyOf(cpu, n), cut(memoryUsedMb, n),
                cut(diskMbPerS, n), cut(netRxMbps, n), cut(netTxMbps, n), Math.min(start, n), Math.min(end, n));
    }

    private static double[] cut(double[] a, int n) {
        return a == null ? null : java.util.Arrays.copyOf(a, n);
    }

    /** By content: every component, the arrays element by element (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof VmTrace t && t.id.equals(id) && t.source.equals(source) && t.cores == cores
                && Double.compare(t.cpuMhz, cpuMhz) == 0 && t.memoryMb == memoryMb && t.start == start && t.end == end
                && java.util.Arrays.equals(t.cpu, cpu) && java.util.Arrays.equals(t.memoryUsedMb, memoryUsedMb)
                && java.util.Arrays.equals(t.diskMbPerS, diskMbPerS) && java.util.Arrays.equals(t.netRxMbps, netRxMbps)
                && java.util.Arrays.equals(t.netTxMbps, netTxMbps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, cores, cpuMhz, memoryMb, start, end, java.util.Arrays.hashCode(cpu),
                java.util.Arrays.hashCode(memoryUsedMb), java.util.Arrays.hashCode(diskMbPerS),
                java.util.Arrays.hashCode(netRxMbps), java.util.Arrays.hashCode(netTxMbps));
    }

    @Override
    public String toString() {
        return "VmTrace[" + source + ":" + id + ", " + cpu.length + " intervals, alive " + start + ".." + end + "]";
    }
}
