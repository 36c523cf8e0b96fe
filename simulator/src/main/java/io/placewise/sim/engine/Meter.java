package io.placewise.sim.engine;

import io.placewise.balancer.ImbalanceDetector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Meters one replay as CloudSim's {@code PowerDatacenter} and {@code Helper.printResults} do: per host, energy by
 * linear interpolation of its power between the points where its state changes (interval starts and ends, the end of
 * each migration it takes part in); a host running nothing draws nothing; SLATAH is the share of active host time
 * with less CPU allocated than requested (oversubscribed, or a VM still arriving); PDM the CPU lost to migrations
 * (10 % of the VM's CPU on its source) over all CPU requested.
 */
final class Meter {
    /** CloudSim: a migrating VM loses 10 % of its CPU on the source, and takes 10 % of it on the destination. */
    static final double MIGRATION_SHARE = 0.1;
    private static final double EPS = 1e-6;

    private final Datacenter dc;
    private final double threshold;
    private final double intervalS;
    private double energyJ;
    private double activeS;
    private double violationS;
    private double lostMips;
    private double requestedMips;
    private double overloadS;
    private double cmSum;
    private double activeSum;
    private int frames;
    private final List<float[]> utilization = new ArrayList<>();

    Meter(Datacenter dc, double threshold) {
        this.dc = dc;
        this.threshold = threshold;
        this.intervalS = dc.setup().intervalS();
    }

    record Snapshot(int activeHosts, int overloadedHosts, double maxMemoryRatio, double maxCpuShare, double cm) {
    }

    /** The state after interval {@code k}'s decision; with {@code meter}, the interval up to {@code k + 1} is metered. */
    Snapshot observe(int k, List<Simulation.Started> started, boolean meter) {
        Map<SimHost, List<Simulation.Started>> touching = new HashMap<>();
        for (Simulation.Started m : started) {
            touching.computeIfAbsent(m.source(), h -> new ArrayList<>()).add(m);
            if (m.destination() != m.source()) {
                touching.computeIfAbsent(m.destination(), h -> new ArrayList<>()).add(m);
            }
        }
        int active = 0;
        int overloaded = 0;
        double maxMem = 0;
        double maxCpu = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        List<Double> utils = new ArrayList<>();
        for (SimHost h : dc.hosts()) {
            List<Simulation.Started> ms = touching.getOrDefault(h, List.of());
            double[] first = state(h, k, 0, ms, m -> m.durationS() > 0);
            double u0 = first[0] / h.totalMips();
            double demandStart = demand(h, k, 0);
            maxMem = Math.max(maxMem, (double) h.memoryProvisionedMb() / h.type().memoryMb());
            maxCpu = Math.max(maxCpu, u0);
            if (u0 > 0) {
                active++;
                double d = Math.min(1, demandStart);
                max = Math.max(max, d);
                min = Math.min(min, d);
                utils.add(u0);
            }
            if (demandStart > threshold) {
                overloaded++;
            }
            if (meter) {
                meterHost(h, k, ms, demandStart);
            }
        }
        double cm = active == 0 ? 0 : ImbalanceDetector.cmOfSpread(max, min);
        if (meter) {
            for (Simulation.Started m : started) {
                double d = Math.min(m.durationS(), intervalS);
                lostMips += MIGRATION_SHARE * (requestedAt(m.vm(), k, 0) + requestedAt(m.vm(), k, d)) / 2 * d;
            }
            for (SimVm vm : dc.vms()) {
                if (vm.host() != null) {
                    requestedMips += (requestedAt(vm, k, 0) + requestedAt(vm, k, intervalS)) / 2 * intervalS;
                }
            }
            cmSum += cm;
            activeSum += active;
            frames++;
            float[] u = new float[utils.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = utils.get(i).floatValue();
            }
            utilization.add(u);
        }
        return new Snapshot(active, overloaded, maxMem, maxCpu, cm);
    }

    private void meterHost(SimHost h, int k, List<Simulation.Started> ms, double demandStart) {
        TreeSet<Double> points = new TreeSet<>();
        points.add(0.0);
        points.add(intervalS);
        for (Simulation.Started m : ms) {
            points.add(Math.min(m.durationS(), intervalS));
        }
        Double a = null;
        for (double b : points) {
            if (a != null && b > a) {
                double from = a;
                double[] sa = state(h, k, from, ms, m -> m.durationS() > from);
                double[] sb = state(h, k, b, ms, m -> m.durationS() >= b);
                double ua = sa[0] / h.totalMips();
                double ub = sb[0] / h.totalMips();
                if (ua > 0) {
                    energyJ += (h.type().power().at(ua) + h.type().power().at(ub)) / 2 * (b - from);
                    activeS += b - from;
                    if (sa[0] < sa[1] - EPS) {
                        violationS += b - from;
                    }
                }
            }
            a = b;
        }
        double demandEnd = demand(h, k, intervalS);
        overloadS += intervalS * ((demandStart > threshold ? 1 : 0) + (demandEnd > threshold ? 1 : 0)) / 2.0;
    }

    /**
     * {allocated, requested} MIPS on {@code h} at {@code t} seconds into interval {@code k}: its settled VMs; a VM still
     * arriving with 10 % of its CPU allocated (all of it requested); a VM still leaving in full. Each virtual core at
     * most one physical core, the host at most its capacity.
     */
    private double[] state(SimHost h, int k, double t, List<Simulation.Started> ms, Predicate<Simulation.Started> inFlight) {
        double alloc = 0;
        double req = 0;
        java.util.Set<SimVm> counted = new java.util.HashSet<>();
        for (Simulation.Started m : ms) {
            if (!inFlight.test(m) || !counted.add(m.vm())) {
                continue;
            }
            double r = requestedAt(m.vm(), k, t);
            boolean leaving = m.source() == h;
            alloc += (leaving ? 1 : MIGRATION_SHARE) * h.capped(m.vm(), r);
            req += r;
        }
        for (SimVm vm : h.vms) {
            if (counted.contains(vm)) {
                continue;
            }
            double r = requestedAt(vm, k, t);
            alloc += h.capped(vm, r);
            req += r;
        }
        return new double[] {Math.min(alloc, h.totalMips()), req};
    }

    /** CPU asked for on {@code h} at {@code t} into interval {@code k}, as a share of its capacity (the VMs placed there). */
    private double demand(SimHost h, int k, double t) {
        double req = 0;
        for (SimVm vm : h.vms) {
            req += requestedAt(vm, k, t);
        }
        return req / h.totalMips();
    }

    /** The VM's CPU request between two samples, linearly (CloudSim's {@code UtilizationModelPlanetLabInMemory}). */
    private double requestedAt(SimVm vm, int k, double t) {
        double a = vm.requestedMipsAt(k);
        double b = vm.requestedMipsAt(k + 1);
        return a + (b - a) * (t / intervalS);
    }

    double energyKwh() {
        return energyJ / 3.6e6;
    }

    double slatah() {
        return activeS == 0 ? 0 : violationS / activeS;
    }

    double pdm() {
        return requestedMips == 0 ? 0 : lostMips / requestedMips;
    }

    double overloadHostHours() {
        return overloadS / 3600;
    }

    double cmMean() {
        return frames == 0 ? 0 : cmSum / frames;
    }

    double activeHostsMean() {
        return frames == 0 ? 0 : activeSum / frames;
    }

    float[] activeUtilization() {
        int n = utilization.stream().mapToInt(u -> u.length).sum();
        float[] out = new float[n];
        int i = 0;
        for (float[] u : utilization) {
            System.arraycopy(u, 0, out, i, u.length);
            i += u.length;
        }
        return out;
    }
}
