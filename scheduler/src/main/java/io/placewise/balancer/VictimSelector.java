package io.placewise.balancer;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HotspotDetector;
import io.placewise.model.Vm;
import java.util.List;

/** Ranks the VMs of a hotspot as migration victims, best first (seed 004 §3.3 and its Sandpiper baseline §4.2). */
public interface VictimSelector {

    /** A ranked VM, with the score it was ranked by and why, for the plan's reason. */
    record Candidate(Vm vm, double score, String why) {
    }

    List<Candidate> rank(ClusterSnapshot cluster, HotspotDetector.Judgement overload);

    static VictimSelector of(BalancerSettings settings) {
        return switch (settings.victimPolicy()) {
            case VOLUME -> new VolumeVictimSelector(settings.networkBoundMbps());
            case VSR -> new VsrVictimSelector();
        };
    }

    /** The VM's traffic with all peers, IDC included, Mbit/s. */
    static double totalTraffic(ClusterSnapshot cluster, String vmId) {
        double t = 0;
        for (double mbps : cluster.peersOf(vmId).values()) {
            t += mbps;
        }
        return t;
    }
}
