package io.placewise.balancer;

import io.placewise.model.WorkloadClass;
import io.placewise.precopy.MigrationStrategy;
import java.util.Map;

/**
 * One step of a balancing plan: a live migration, or a balloon step giving a swapping VM more memory on
 * its own host (seed 004 §3.3, tried before migrating). {@code loadsBefore} is the per-host CPU load
 * vector the step was decided on, which becomes its history record when it is executed.
 *
 * @param order            1-based position in the executed order
 * @param destination      the target host; the VM's own host for a balloon step
 * @param strategy         proposed live-migration strategy; null for a balloon step
 * @param amountMb         memory added by a balloon step; 0 for a migration
 * @param historyRecordId  the history record the move reused, or null
 */
public record PlannedMove(int order, Action action, String vm, String source, String destination,
                          MigrationStrategy strategy, long amountMb, String reason, WorkloadClass workload,
                          long memoryMb, Map<String, Double> loadsBefore, Long historyRecordId) {
    public enum Action {
        MIGRATE("migrate"), GROW_MEMORY("grow_memory");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Action fromWire(String s) {
            for (Action a : values()) {
                if (a.wireName.equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown action " + s);
        }
    }

    public PlannedMove {
        loadsBefore = loadsBefore == null ? Map.of() : Map.copyOf(loadsBefore);
    }

    public PlannedMove withOrder(int newOrder) {
        return new PlannedMove(newOrder, action, vm, source, destination, strategy, amountMb, reason, workload,
                memoryMb, loadsBefore, historyRecordId);
    }
}
