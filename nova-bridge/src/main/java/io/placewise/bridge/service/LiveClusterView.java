package io.placewise.bridge.service;

import io.placewise.balancer.execution.LiveCluster;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Vm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What plan execution changes in the live cluster. {@link #migrated} is the one place a completed
 * migration reaches {@link ClusterStore}: the VM moves at once, before the next profiler samples.
 */
public final class LiveClusterView implements LiveCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClusterView.class);
    private final ClusterStore cluster;

    public LiveClusterView(ClusterStore cluster) {
        this.cluster = cluster;
    }

    @Override
    public ClusterSnapshot current() {
        return cluster.current();
    }

    @Override
    public void migrated(String vm, String source, String destination) {
        // The VM moves *and its load with it* (LoadShift), fenced against samples taken before the move.
        try {
            cluster.migrationCompleted(vm, source, destination, cluster.clock().instant());
        } catch (RuntimeException e) {
            // The next profiler sample of the host reports where the VM is; the records are already right.
            LOG.warn("could not move {} to {} in the live cluster: {}", vm, destination, e.toString());
        }
    }

    @Override
    public void memoryChanged(String vm, long memoryMb) {
        try {
            cluster.apply(e -> {
                Vm v = e.vm(vm);
                if (v == null) {
                    return false;
                }
                e.putVm(v.withMemoryMb(memoryMb));
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not set the memory of {} to {} MiB in the live cluster: {}", vm, memoryMb, e.toString());
        }
    }
}
