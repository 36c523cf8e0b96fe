package io.placewise.balancer;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.NetworkBenefit;
import io.placewise.model.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seed 004 §3.3 Eq. (3): {@code V_ijk = CPU_ij·C_i + Mem_ij·M_i + NB_ijk·N_i}, largest first, with the
 * overload flags of the hotspot, N always 1 and the network benefit normalised by the source's NIC
 * capacity; equal volumes go to the VM with more network traffic.
 */
public final class VolumeVictimSelector implements VictimSelector {
    private static final double TIE = 1e-9;
    private final double networkBoundMbps;

    public VolumeVictimSelector(double networkBoundMbps) {
        this.networkBoundMbps = networkBoundMbps;
    }

    @Override
    public List<Candidate> rank(ClusterSnapshot cluster, HotspotDetector.Judgement overload) {
        Host source = cluster.host(overload.host());
        double nic = source == null || source.capacity().nicMbps() <= 0 ? 1000.0 : source.capacity().nicMbps();
        int c = overload.cpu() ? 1 : 0;
        int m = overload.memory() ? 1 : 0;
        List<Candidate> out = new ArrayList<>();
        List<Double> traffic = new ArrayList<>();
        for (Vm vm : cluster.vmsOn(overload.host())) {
            double nb = NetworkBenefit.ofMove(cluster, vm.id(), networkBoundMbps) / nic;
            double volume = vm.cpuUtil() * c + vm.memUtil() * m + nb;
            out.add(new Candidate(vm, volume, String.format(Locale.ROOT,
                    "volume V = %.3f (cpu %.3f×%d + mem %.3f×%d + network benefit %.3f of the NIC)",
                    volume, vm.cpuUtil(), c, vm.memUtil(), m, nb)));
            traffic.add(VictimSelector.totalTraffic(cluster, vm.id()));
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> {
            double d = out.get(b).score() - out.get(a).score();
            if (Math.abs(d) > TIE) {
                return d > 0 ? 1 : -1;
            }
            int byTraffic = Double.compare(traffic.get(b), traffic.get(a));
            return byTraffic != 0 ? byTraffic : out.get(a).vm().id().compareTo(out.get(b).vm().id());
        });
        return idx.stream().map(out::get).toList();
    }
}
