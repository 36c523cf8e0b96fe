package io.placewise.bridge.service;

import io.placewise.balancer.execution.LiveCluster;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Vm;
import java.util.List;
import java.util.function.UnaryOperator;
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
        // Switch point for ClusterStore's move of a VM *and its load* (branch state): it replaces this one
        // line; today the VM moves and the hosts' loads follow with their next samples.
        change("move " + vm + " to " + destination, vm, v -> v.onHost(destination), destination);
    }

    @Override
    public void memoryChanged(String vm, long memoryMb) {
        change("set the memory of " + vm + " to " + memoryMb + " MiB", vm, v -> v.withMemoryMb(memoryMb), null);
    }

    private void change(String what, String vmId, UnaryOperator<Vm> f, String needsHost) {
        try {
            cluster.update(current -> {
                Vm v = current.vm(vmId);
                if (v == null || (needsHost != null && current.host(needsHost) == null)) {
                    return current;
                }
                return current.withChanges(List.of(), List.of(f.apply(v)), current.allSamples());
            });
        } catch (RuntimeException e) {
            // The next profiler sample of the host reports where the VM is; the records are already right.
            LOG.warn("could not {} in the live cluster: {}", what, e.toString());
        }
    }
}
