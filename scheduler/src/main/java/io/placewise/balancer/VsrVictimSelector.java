package io.placewise.balancer;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Sandpiper's baseline as seed 004 §4.2 Eqs. (5)–(6) state it: {@code Volume = 1/((1−cpu)(1−mem)(1−net))},
 * {@code VSR = Volume/Size} (size the memory), largest first; net counts IDC, as Sandpiper does.
 */
public final class VsrVictimSelector implements VictimSelector {
    /** Keeps 1/(1−u) finite for a fully used resource. */
    private static final double MAX_UTIL = 0.999;

    @Override
    public List<Candidate> rank(ClusterSnapshot cluster, HotspotDetector.Judgement overload) {
        Host source = cluster.host(overload.host());
        double nic = source == null || source.capacity().nicMbps() <= 0 ? 1000.0 : source.capacity().nicMbps();
        List<Candidate> out = new ArrayList<>();
        for (Vm vm : cluster.vmsOn(overload.host())) {
            double net = VictimSelector.totalTraffic(cluster, vm.id()) / nic;
            double volume = 1 / ((1 - clamp(vm.cpuUtil())) * (1 - clamp(vm.memUtil())) * (1 - clamp(net)));
            double vsr = volume / Math.max(1, vm.memoryMb());
            out.add(new Candidate(vm, vsr, String.format(Locale.ROOT,
                    "Sandpiper VSR = %.3g (volume %.3f over %d MiB; cpu %.3f, mem %.3f, net %.3f incl. IDC)",
                    vsr, volume, vm.memoryMb(), vm.cpuUtil(), vm.memUtil(), net)));
        }
        out.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(c -> c.vm().id()));
        return out;
    }

    private static double clamp(double u) {
        return Math.max(0, Math.min(MAX_UTIL, u));
    }
}
