package io.placewise.weighers;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.NetworkBenefit;
import io.placewise.model.PlacementSpec;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import java.util.List;
import java.util.Map;

/**
 * Prefers hosts holding the VM's peers so its traffic becomes IDC; a move scores its network benefit
 * {@code Nso + Nsd − Nds}, {@code Nds = min(Is, AB, NB)}, plus the IDC it gains there (seed 004 §3.3).
 */
public final class IdcNetworkBenefitWeigher implements HostWeigher {
    static final String NETWORK_BOUND = NetworkBenefit.NETWORK_BOUND;

    @Override
    public String description() {
        return "Prefers hosts holding the VM's communication peers so their traffic becomes IDC; moves score the network benefit"
                + " Nso + Nsd − Nds (seed 004 §3.3)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.number(NETWORK_BOUND, NetworkBenefit.DEFAULT_NETWORK_BOUND_MBPS, 0.0, 1e6,
                "NB: the most traffic (Mbit/s) one VM can push through the NIC; bounds Nds = min(Is, AB, NB)"));
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        PlacementSpec spec = context.spec();
        ClusterSnapshot cluster = context.cluster();
        // The request's one traffic view, shared state with CapacityFilter (computed once per request).
        Map<String, Double> byHost = context.peerTrafficByHost();
        double total = context.peerTrafficTotal();
        String source = spec.sourceHost();
        if (source == null) {
            return host -> byHost.getOrDefault(host.name(), 0.0);
        }
        // A move from i. Nso + Nsd is all of the VM's traffic not already on i (total − Is) whichever k
        // is asked about, and Nds does not depend on k either, so the benefit of Eq. (1) is one number for
        // every destination k ≠ i: among those it does not rank (it is what tells the balancer *which*
        // VM to move, §3.3). What it does rank is moving against staying: the source scores Is (nothing
        // is released, the VM keeps its IDC), every other k scores benefit + Nsd(k), so the source beats
        // all of them exactly when Is > benefit + Nsd(k), i.e. when the traffic the move would release
        // is smaller than what staying keeps on i. Among the k ≠ i, Nsd(k), the traffic with k's VMs that
        // becomes IDC there (Fig. 3.3/3.4), orders them, as a new VM is ordered; that is how §4.2.3
        // reunites VM3 with VM6 on PM3.
        double is = byHost.getOrDefault(source, 0.0);
        double external = total - is;
        double nds = nds(is, availableBandwidth(cluster.host(source), external), params.getDouble(NETWORK_BOUND));
        return host -> {
            if (host.name().equals(source)) {
                return is;
            }
            double nsd = byHost.getOrDefault(host.name(), 0.0);
            double nso = external - nsd;
            return networkBenefit(nso, nsd, nds) + nsd;
        };
    }

    /** Eq. (1) of seed 004 §3.3: the NIC traffic the move really releases on the source. */
    public static double networkBenefit(double nso, double nsd, double nds) {
        return NetworkBenefit.networkBenefit(nso, nsd, nds);
    }

    /** Eq. (2): the predicted traffic between source and destination after the move. */
    public static double nds(double is, double ab, double nb) {
        return NetworkBenefit.nds(is, ab, nb);
    }

    /**
     * AB: the NIC bandwidth left on the source after the move, its free NIC capacity plus the VM's
     * external traffic the move frees; unbounded when the source is unknown.
     */
    static double availableBandwidth(Host source, double externalMbps) {
        return NetworkBenefit.availableBandwidth(source, externalMbps);
    }
}
