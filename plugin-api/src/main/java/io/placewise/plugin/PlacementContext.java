package io.placewise.plugin;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HostUsage;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import java.util.List;
import java.util.Set;

/**
 * What one placement request sees: the spec, the cluster, and the VMs this request has already
 * placed (a multi-instance request claims resources as it goes, as Nova's does). Plugins ask the
 * context, not the snapshot, for per-host VMs and usage so that those claims count.
 */
public interface PlacementContext {
    PlacementSpec spec();

    ClusterSnapshot cluster();

    /** VMs on the host, including ones this request has already placed there. */
    List<Vm> vmsOn(String host);

    /** Resources allocated on the host, including this request's earlier claims. */
    HostUsage usage(String host);

    /** How many instances this request has already placed on the host (its earlier claims). */
    default int claimedOn(String host) {
        return usage(host).vmCount() - cluster().usage(host).vmCount();
    }

    /**
     * Hosts holding a member of the spec's server group: the listed members, the cluster's VMs
     * naming the group, the group's reported {@code hosts}, and this request's earlier instances. Empty without a group.
     */
    Set<String> groupHosts();

    /** How many group members each of {@link #groupHosts()} holds. */
    int groupMembersOn(String host);

    /** The stored history records (seed 000 §3.1), newest first; empty when there are none. */
    List<HistoryRecord> history();
}
