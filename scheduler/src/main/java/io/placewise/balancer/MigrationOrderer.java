package io.placewise.balancer;

import io.placewise.model.WorkloadClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Seed 002 §3.3–3.4 migration sequence: memory-dirtying and web-server VMs first (they slow down whoever
 * migrates before them), network-receive VMs last (they eat the destination's bandwidth), CPU and
 * disk-I/O VMs shortest-job-first by memory size in between. Balloon steps come before any migration:
 * they happen on the host itself and may make a migration unnecessary.
 */
public final class MigrationOrderer {
    private MigrationOrderer() {
    }

    /** The moves in execution order, numbered from 1; stable for equal keys. */
    public static List<PlannedMove> order(List<PlannedMove> moves) {
        List<PlannedMove> sorted = new ArrayList<>(moves);
        sorted.sort(Comparator.comparingInt(MigrationOrderer::rank)
                .thenComparingLong(m -> sjf(m) ? m.memoryMb() : 0));
        List<PlannedMove> out = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            out.add(sorted.get(i).withOrder(i + 1));
        }
        return out;
    }

    /**
     * 0 balloon steps, 1 memory-dirtying and web, 2 CPU and disk I/O (SJF), 3 mixed (no class-specific
     * finding in the paper; SJF too, after the classes it measured), 4 network receive.
     */
    static int rank(PlannedMove m) {
        if (m.action() == PlannedMove.Action.GROW_MEMORY) {
            return 0;
        }
        WorkloadClass w = m.workload() == null ? WorkloadClass.MIXED : m.workload();
        return switch (w) {
            case MEMORY, WEB -> 1;
            case CPU, DISK_IO -> 2;
            case MIXED -> 3;
            case NET_RX -> 4;
        };
    }

    private static boolean sjf(PlannedMove m) {
        int r = rank(m);
        return r == 2 || r == 3;
    }
}
