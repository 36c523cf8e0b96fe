package io.placewise.model;

import java.util.Map;

/**
 * Seed 004 §3.3 network benefit of moving a VM off its source: {@code Nso + Nsd − Nds} with
 * {@code Nds = min(Is, AB, NB)} (Eqs. 1–2), in Mbit/s. Shared by the IdcNetworkBenefitWeigher and
 * the balancer's volume victim policy.
 */
public final class NetworkBenefit {
    /** NB's parameter, as {@code [IdcNetworkBenefitWeigher]} names it; the balancer's victim policy uses the same. */
    public static final String NETWORK_BOUND = "network_bound_mbps";
    /** A VM cannot fill a gigabit NIC (seed 004 §3.3, Eq. 2 condition 3). */
    public static final double DEFAULT_NETWORK_BOUND_MBPS = 1000.0;

    private NetworkBenefit() {
    }

    /** Eq. (1): the NIC traffic the move really releases on the source. */
    public static double networkBenefit(double nso, double nsd, double nds) {
        return nso + nsd - nds;
    }

    /** Eq. (2): the predicted traffic between source and destination after the move. */
    public static double nds(double is, double ab, double nb) {
        return Math.min(is, Math.min(ab, nb));
    }

    /**
     * AB: the NIC bandwidth left on the source after the move, its free NIC capacity plus the VM's
     * external traffic the move frees; unbounded when the source is unknown.
     */
    public static double availableBandwidth(Host source, double externalMbps) {
        if (source == null) {
            return Double.POSITIVE_INFINITY;
        }
        double free = source.capacity().nicMbps() * Math.max(0.0, 1.0 - source.nicUtil());
        return free + externalMbps;
    }

    /**
     * The benefit of moving existing VM {@code vmId} off its current host, from the cluster's
     * measured traffic. {@code Nso + Nsd} is all its traffic with VMs on other hosts whichever
     * destination is asked about, so the benefit does not depend on the destination (it ranks
     * victims, not destinations).
     */
    public static double ofMove(ClusterSnapshot cluster, String vmId, double networkBoundMbps) {
        Vm vm = cluster.vm(vmId);
        if (vm == null) {
            return 0;
        }
        double is = 0;
        double external = 0;
        for (Map.Entry<String, Double> e : cluster.peersOf(vmId).entrySet()) {
            Vm peer = cluster.vm(e.getKey());
            if (peer != null && peer.host().equals(vm.host())) {
                is += e.getValue();
            } else {
                external += e.getValue();
            }
        }
        double nds = nds(is, availableBandwidth(cluster.host(vm.host()), external), networkBoundMbps);
        return networkBenefit(external, 0, nds);
    }
}
