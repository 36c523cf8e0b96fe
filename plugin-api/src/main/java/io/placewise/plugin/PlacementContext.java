package io.placewise.plugin;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HostUsage;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Vm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The request's value of {@code key}: computed on first use, then the same value for every plugin
     * and every instance of the request (Kubernetes' CycleState, typed). A context that keeps no
     * state computes it on each call.
     */
    default <T> T state(StateKey<T> key) {
        return key.computeFor(this);
    }

    /** Per-request state: {@link #peerTraffic()}. */
    StateKey<Map<String, Double>> PEER_TRAFFIC = StateKey.of("peer traffic", c -> peerTraffic(c.spec(), c.cluster()));

    /** Per-request state: {@link #peerTrafficByHost()}. */
    StateKey<Map<String, Double>> PEER_TRAFFIC_BY_HOST = StateKey.of("peer traffic by host",
            c -> byHost(c.peerTraffic(), c.cluster()));

    /** Per-request state: {@link #peerTrafficTotal()}. */
    StateKey<Double> PEER_TRAFFIC_TOTAL = StateKey.of("peer traffic total",
            c -> c.peerTraffic().values().stream().mapToDouble(Double::doubleValue).sum());

    /**
     * The VM's traffic per peer, Mbit/s: what the cluster measured for an existing VM, with the request's
     * declared traffic taking precedence for each peer it names (the caller's view overrides, as for
     * hosts); self-traffic ignored. The one traffic view every plugin reads (CapacityFilter's NIC
     * headroom, IdcNetworkBenefitWeigher's IDC), computed once per request ({@link #PEER_TRAFFIC}).
     */
    default Map<String, Double> peerTraffic() {
        return state(PEER_TRAFFIC);
    }

    /** {@link #peerTraffic()} summed by the host each peer runs on; peers the cluster does not know are left out. */
    default Map<String, Double> peerTrafficByHost() {
        return state(PEER_TRAFFIC_BY_HOST);
    }

    /** The sum of {@link #peerTraffic()}, Mbit/s: all the traffic the VM has with its peers. */
    default double peerTrafficTotal() {
        return state(PEER_TRAFFIC_TOTAL);
    }

    /** The merge rule of {@link #peerTraffic()}, for implementations that cache it. */
    static Map<String, Double> peerTraffic(PlacementSpec spec, ClusterSnapshot cluster) {
        String self = spec.instanceUuid();
        Map<String, Double> out = new HashMap<>(self == null ? Map.of() : cluster.peersOf(self));
        Map<String, Double> declared = new HashMap<>();
        for (PeerTraffic t : spec.traffic()) {
            declared.merge(t.peer(), t.mbps(), Double::sum);
        }
        out.putAll(declared);
        if (self != null) {
            out.remove(self);
        }
        return Map.copyOf(out);
    }

    /** Traffic per peer summed by the peer's host. */
    static Map<String, Double> byHost(Map<String, Double> perPeer, ClusterSnapshot cluster) {
        Map<String, Double> out = new HashMap<>();
        perPeer.forEach((peer, mbps) -> {
            Vm vm = cluster.vm(peer);
            if (vm != null) {
                out.merge(vm.host(), mbps, Double::sum);
            }
        });
        // A HashMap, not Map.copyOf: plugins ask it about every candidate, nearly all absent, and
        // HashMap compares the names' cached hashes where Map.copyOf's probe compares the strings.
        return java.util.Collections.unmodifiableMap(out);
    }
}
