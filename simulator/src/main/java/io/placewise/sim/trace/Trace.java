package io.placewise.sim.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * A workload to replay: VM traces on one grid of {@code intervalS}-second intervals, and what the readers had to
 * skip. Several sources replay together, each starting at interval 0.
 *
 * @param sources        what was read, as given on the command line ({@code planetlab:DIR})
 * @param malformedLines lines the readers skipped, with file and line number, at most {@link #MAX_REPORTED}
 * @param malformedCount how many lines were skipped in all
 * @param placement      where VMs run when the replay starts (a live cluster's), by VM id; the others are placed by
 *                       the policy under replay
 */
public record Trace(List<String> sources, int intervalS, List<VmTrace> vms, List<String> malformedLines, int malformedCount,
                    java.util.Map<String, String> placement) {
    public static final int MAX_REPORTED = 20;

    public Trace {
        sources = List.copyOf(sources);
        vms = List.copyOf(vms);
        malformedLines = List.copyOf(malformedLines);
        placement = java.util.Map.copyOf(placement);
    }

    /** A workload whose VMs the policies place. */
    public Trace(List<String> sources, int intervalS, List<VmTrace> vms, List<String> malformedLines, int malformedCount) {
        this(sources, intervalS, vms, malformedLines, malformedCount, java.util.Map.of());
    }

    /** The longest VM trace, in intervals. */
    public int intervals() {
        return vms.stream().mapToInt(VmTrace::intervals).max().orElse(0);
    }

    /** Both workloads replayed together; VM ids must differ. */
    public Trace and(Trace other) {
        if (other.intervalS != intervalS) {
            throw new IllegalArgumentException("traces on different grids: " + intervalS + " s and " + other.intervalS + " s");
        }
        List<VmTrace> all = new ArrayList<>(vms);
        all.addAll(other.vms);
        long distinct = all.stream().map(VmTrace::id).distinct().count();
        if (distinct != all.size()) {
            throw new IllegalArgumentException("two traces name the same VM; give each source its own files");
        }
        List<String> src = new ArrayList<>(sources);
        src.addAll(other.sources);
        List<String> bad = new ArrayList<>(malformedLines);
        bad.addAll(other.malformedLines);
        java.util.Map<String, String> where = new java.util.HashMap<>(placement);
        where.putAll(other.placement);
        return new Trace(src, intervalS, all, bad.subList(0, Math.min(MAX_REPORTED, bad.size())),
                malformedCount + other.malformedCount, where);
    }

    /** The first {@code n} intervals of every VM. */
    public Trace truncated(int n) {
        return new Trace(sources, intervalS, vms.stream().map(v -> v.truncated(n)).toList(), malformedLines, malformedCount,
                placement);
    }
}
