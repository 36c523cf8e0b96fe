package io.placewise.sim.policy;

import io.placewise.balancer.VsrVictimSelector;
import io.placewise.balancer.VictimSelector;
import io.placewise.model.Ar1Forecast;
import io.placewise.model.ClusterSnapshot;

import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import io.placewise.sim.engine.Datacenter;
import io.placewise.sim.engine.Decision;
import io.placewise.sim.engine.SimHost;
import io.placewise.sim.engine.SimPolicy;
import io.placewise.sim.engine.SimVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Sandpiper's black-box hotspot mitigation (Wood et al., NSDI 2007), the baseline of seed 004 §4.2: a host is a
 * hotspot when a resource exceeds its threshold in {@code k} of the last {@code n} samples and its predicted next
 * value does too; from the hottest host (by volume) it migrates the VM with the highest volume-to-size ratio (VSR,
 * seed 004 Eqs. 5–6, the core's {@link VsrVictimSelector}) to the least loaded host (lowest volume) that can hold it
 * without itself passing a threshold, until the host is no longer a hotspot. Thresholds are the same as Placewise's
 * ({@code [HotspotFilter]}). Sandpiper is a migration policy: new VMs are placed by Placewise's pipeline, as for
 * {@code none} and {@code placewise-hotspot}, so the three start from the same placement.
 */
public final class SandpiperPolicy implements SimPolicy {
    /** Sandpiper's defaults: 3 of the last 5 observations. */
    static final int K = 3;
    static final int N = 5;
    /** Keeps 1/(1 − u) finite. */
    private static final double MAX_UTIL = 0.999;

    private final HotspotDetector thresholds;
    private final int maxMoves;
    private final VictimSelector victims = new VsrVictimSelector();
    private final PlacewisePolicy placement;

    public SandpiperPolicy(PlacewiseSettings settings) {
        this.thresholds = settings.detector();
        this.maxMoves = settings.balancer().maxMoves();
        this.placement = new PlacewisePolicy("none", null, settings);
    }

    @Override
    public String name() {
        return "sandpiper";
    }

    @Override
    public void place(Datacenter dc, List<SimVm> vms) {
        placement.place(dc, vms);
    }

    @Override
    public Decision decide(Datacenter dc) {
        Set<String> busy = dc.busyHosts();
        List<SimHost> hot = new ArrayList<>();
        for (SimHost h : dc.hosts()) {
            if (!busy.contains(h.name()) && hotspot(dc, h)) {
                hot.add(h);
            }
        }
        hot.sort((a, b) -> Double.compare(volume(dc, b), volume(dc, a)));
        ClusterSnapshot view = ClusterView.of(dc);
        // Planned CPU and memory per host, so that two moves do not pick the same spare room twice.
        Map<SimHost, Double> cpu = new HashMap<>();
        Map<SimHost, Long> memory = new HashMap<>();
        dc.hosts().forEach(h -> {
            cpu.put(h, h.requestedMips());
            memory.put(h, h.memoryProvisionedMb());
        });
        Set<String> moved = new HashSet<>();
        List<Decision.Move> moves = new ArrayList<>();
        for (SimHost h : hot) {
            HotspotDetector.Judgement j = new HotspotDetector.Judgement(h.name(), true, dc.swapWritesPerS(h) > 0, false,
                    List.of("sandpiper hotspot"));
            for (VictimSelector.Candidate c : victims.rank(view, j)) {
                if (moves.size() >= maxMoves || cpu.get(h) / h.totalMips() <= thresholds.cpuThreshold()) {
                    break;
                }
                SimVm vm = dc.vm(c.vm().id());
                if (vm == null || moved.contains(vm.id()) || vm.migratingAt(dc.timeS())) {
                    continue;
                }
                SimHost dest = leastLoaded(dc, vm, h, busy, cpu, memory);
                if (dest == null) {
                    continue;
                }
                moves.add(new Decision.Move(vm.id(), dest.name()));
                moved.add(vm.id());
                cpu.merge(h, -vm.requestedMips(), Double::sum);
                cpu.merge(dest, vm.requestedMips(), Double::sum);
                memory.merge(h, -vm.size().memoryMb(), Long::sum);
                memory.merge(dest, vm.size().memoryMb(), Long::sum);
            }
        }
        return Decision.of(moves);
    }

    private SimHost leastLoaded(Datacenter dc, SimVm vm, SimHost from, Set<String> busy, Map<SimHost, Double> cpu,
                                Map<SimHost, Long> memory) {
        SimHost best = null;
        double bestVolume = Double.MAX_VALUE;
        for (SimHost d : dc.hosts()) {
            if (d == from || busy.contains(d.name())) {
                continue;
            }
            if ((cpu.get(d) + vm.requestedMips()) / d.totalMips() > thresholds.cpuThreshold()) {
                continue;
            }
            if (dc.setup().reserveMemory() && memory.get(d) + vm.size().memoryMb() > d.type().memoryMb()) {
                continue;
            }
            double v = volume(Math.min(MAX_UTIL, cpu.get(d) / d.totalMips()), memShare(dc, d), netShare(dc, d));
            if (v < bestVolume) {
                bestVolume = v;
                best = d;
            }
        }
        return best;
    }

    /** k of the last n samples over a threshold, and the AR(1) prediction of the next one too. */
    boolean hotspot(Datacenter dc, SimHost h) {
        List<LoadSample> window = h.window();
        List<LoadSample> last = window.subList(Math.max(0, window.size() - N), window.size());
        return over(last, LoadSample::cpuUtil, thresholds.cpuThreshold())
                || over(last, LoadSample::swapWritesPerS, thresholds.swapWritesThreshold())
                || over(last, LoadSample::nicUtil, thresholds.nicThreshold());
    }

    private static boolean over(List<LoadSample> last, ToDoubleFunction<LoadSample> value, double threshold) {
        int count = 0;
        double[] series = new double[last.size()];
        for (int i = 0; i < series.length; i++) {
            series[i] = value.applyAsDouble(last.get(i));
            if (series[i] > threshold) {
                count++;
            }
        }
        return count >= K && Ar1Forecast.next(series) > threshold;
    }

    /** Sandpiper's volume of a host: 1/((1 − cpu)(1 − mem)(1 − net)). */
    static double volume(Datacenter dc, SimHost h) {
        return volume(Math.min(MAX_UTIL, h.demand()), memShare(dc, h), netShare(dc, h));
    }

    static double volume(double cpu, double mem, double net) {
        return 1 / ((1 - cpu) * (1 - mem) * (1 - net));
    }

    private static double memShare(Datacenter dc, SimHost h) {
        return dc.setup().reserveMemory() ? Math.min(MAX_UTIL, dc.memoryUsedMb(h) / h.type().memoryMb()) : 0;
    }

    private static double netShare(Datacenter dc, SimHost h) {
        return Math.min(MAX_UTIL, dc.netMbps(h) / h.type().nicMbps());
    }
}
