package io.placewise.sim.engine;

import io.placewise.precopy.PreCopyEstimate;
import io.placewise.precopy.PreCopyInput;
import io.placewise.precopy.PreCopyModel;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.trace.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete-time replay (one step per trace interval), metered as CloudSim's power experiments meter theirs.
 * Interval 0 places the VMs; from interval 1 on, each step samples the loads, lets the policy decide, starts its
 * migrations (duration, data and downtime from seed 003's pre-copy model over the setup's migration link) and meters
 * the interval that follows: energy by each host's power curve, linearly between the samples and split at the end of
 * each of its migrations; SLATAH and PDM; overload and C_m. As in CloudSim, metering starts with the first decision,
 * a host running nothing draws nothing, a migrating VM runs on its source with 10 % of its CPU lost and takes 10 % of
 * its CPU on the destination, where it counts as under-provisioned until it has arrived.
 */
public final class Simulation {
    private final Setup setup;
    private final Trace trace;
    private final int sampleWindow;
    private final double overloadThreshold;
    private final int intervals;

    /**
     * @param sampleWindow      profiler samples kept per host ({@code [scheduler] sample_window})
     * @param overloadThreshold CPU share above which a host counts as overloaded ({@code [HotspotFilter] cpu_threshold})
     */
    public Simulation(Setup setup, Trace trace, int sampleWindow, double overloadThreshold) {
        if (trace.intervalS() != setup.intervalS()) {
            throw new IllegalArgumentException("the trace is sampled every " + trace.intervalS() + " s, the setup decides every "
                    + setup.intervalS() + " s");
        }
        this.setup = setup;
        this.trace = trace;
        this.sampleWindow = sampleWindow;
        this.overloadThreshold = overloadThreshold;
        this.intervals = setup.intervals(trace.intervals());
        if (intervals < 3) {
            throw new IllegalArgumentException("a replay needs at least 3 intervals, the trace and setup give " + intervals);
        }
    }

    public int intervals() {
        return intervals;
    }

    public PolicyResult run(SimPolicy policy) {
        long wallStart = System.nanoTime();
        Datacenter dc = new Datacenter(setup, trace, sampleWindow);
        Meter meter = new Meter(dc, overloadThreshold);
        List<Double> decisionMs = new ArrayList<>();
        List<Migration> log = new ArrayList<>();
        List<PolicyResult.IntervalStats> series = new ArrayList<>();
        List<SimVm> pending = new ArrayList<>(dc.advance(0));
        // VMs of a live cluster start where they run; the policy places the rest.
        for (SimVm vm : List.copyOf(pending)) {
            String at = trace.placement().get(vm.id());
            if (at != null && dc.host(at) != null) {
                dc.place(vm, dc.host(at));
                pending.remove(vm);
            }
        }
        policy.place(dc, List.copyOf(pending));
        pending.removeIf(v -> v.host != null);
        for (int k = 1; k < intervals; k++) {
            int now = k;
            pending.addAll(dc.advance(k));
            pending.removeIf(v -> !v.trace().aliveAt(now));
            dc.recordSamples();
            if (!pending.isEmpty()) {
                policy.place(dc, List.copyOf(pending));
                pending.removeIf(v -> v.host != null);
            }
            long t0 = System.nanoTime();
            Decision d = policy.decide(dc);
            decisionMs.add((System.nanoTime() - t0) / 1e6);
            List<Started> started = apply(dc, d, log);
            int placed = (int) dc.vms().stream().filter(v -> v.host != null).count();
            Meter.Snapshot s = meter.observe(k, started, k + 1 < intervals);
            series.add(new PolicyResult.IntervalStats(k, dc.vms().size(), placed, s.activeHosts(), s.overloadedHosts(),
                    started.size(), s.maxMemoryRatio(), s.maxCpuShare(), s.cm()));
        }
        double wallS = (System.nanoTime() - wallStart) / 1e9;
        double[] ms = decisionMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double dataGb = log.stream().mapToDouble(Migration::dataMb).sum() / 1024;
        double downtime = log.stream().mapToDouble(Migration::downtimeS).sum();
        double slav = meter.slatah() * meter.pdm();
        return new PolicyResult(policy.name(), meter.energyKwh(), log.size(), meter.slatah(), meter.pdm(), slav,
                meter.energyKwh() * slav, meter.overloadHostHours(), meter.cmMean(), meter.activeHostsMean(), dataGb,
                downtime, percentile(ms, 0.50), percentile(ms, 0.99), wallS, series, meter.activeUtilization(), log);
    }

    /** A migration started by this interval's decision. */
    record Started(SimVm vm, SimHost source, SimHost destination, double durationS) {
    }

    /**
     * Starts the decision's migrations in order. A VM moved twice in one decision makes two migrations, both from
     * where it was (CloudSim's evacuation can plan a VM it has just placed): both are paid for and counted.
     */
    private List<Started> apply(Datacenter dc, Decision d, List<Migration> log) {
        d.switchOn().forEach(name -> hostOrFail(dc, name).enabled = true);
        Map<SimVm, SimHost> origin = new HashMap<>();
        List<Started> started = new ArrayList<>();
        for (Decision.Move m : d.moves()) {
            SimVm vm = dc.vm(m.vm());
            SimHost dst = hostOrFail(dc, m.destination());
            if (vm == null || vm.host == null || !dc.vms().contains(vm)) {
                throw new IllegalStateException("policy moved " + m.vm() + ", which is not running");
            }
            if (!origin.containsKey(vm) && vm.migratingAt(dc.timeS())) {
                throw new IllegalStateException("policy moved " + m.vm() + " during its migration");
            }
            SimHost src = origin.computeIfAbsent(vm, v -> v.host);
            if (vm.host == dst || src == dst) {
                continue;
            }
            PreCopyEstimate est = PreCopyModel.estimate(PreCopyInput.of(vm.size().memoryMb(),
                    Math.min(setup.migrationLinkMbps(), Math.min(src.type().nicMbps(), dst.type().nicMbps())),
                    vm.size().dirtyRateMbps()));
            dc.move(vm, dst, dc.timeS() + est.totalS());
            started.add(new Started(vm, src, dst, est.totalS()));
            log.add(new Migration(dc.interval(), vm.id(), src.name(), dst.name(), est.totalS(), est.dataMib(), est.downtimeS()));
        }
        d.switchOff().forEach(name -> hostOrFail(dc, name).enabled = false);
        return started;
    }

    private static SimHost hostOrFail(Datacenter dc, String name) {
        SimHost h = dc.host(name);
        if (h == null) {
            throw new IllegalStateException("policy named unknown host " + name);
        }
        return h;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
