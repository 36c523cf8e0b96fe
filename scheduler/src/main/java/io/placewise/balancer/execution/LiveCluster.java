package io.placewise.balancer.execution;

import io.placewise.model.ClusterSnapshot;

/** The live cluster as the {@link PlanExecutor} sees and changes it. */
public interface LiveCluster {
    ClusterSnapshot current();

    /** A migration completed: the VM, and the load it puts on a host, are on {@code destination} now. */
    void migrated(String vm, String source, String destination);

    /** A balloon step completed: the VM has {@code memoryMb} now. */
    void memoryChanged(String vm, long memoryMb);
}
