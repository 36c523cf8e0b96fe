package io.placewise.sim.policy;

import io.placewise.sim.engine.Datacenter;
import io.placewise.sim.engine.Decision;
import io.placewise.sim.engine.SimHost;
import io.placewise.sim.engine.SimPolicy;
import io.placewise.sim.engine.SimVm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudSim's reference consolidation heuristics (Beloglazov &amp; Buyya; CloudSim 4.0 {@code power} package),
 * re-implemented from their semantics: an overload detector, minimum-migration-time (MMT) victim selection and
 * power-aware best-fit-decreasing (PABFD) placement, then the evacuation of under-utilised hosts, least utilised
 * first, whole or not at all. Detectors: {@code thr} (static threshold, {@code
 * PowerVmAllocationPolicyMigrationStaticThreshold}) and {@code lr} (local regression over the host's last ten
 * samples with a safety parameter, {@code PowerVmAllocationPolicyMigrationLocalRegression}, falling back to a 0.7
 * threshold while fewer than ten samples exist).
 */
public final class CloudSimMigrationPolicy implements SimPolicy {
    /** The overload test. */
    public enum Detector { STATIC_THRESHOLD, LOCAL_REGRESSION }

    /** LR's fallback while a host's history is short (CloudSim's RunnerAbstract: a 0.7 static threshold). */
    static final double FALLBACK_THRESHOLD = 0.7;
    /** LR fits the last ten samples ("to make the regression responsive enough to latest values"). */
    static final int LR_LENGTH = 10;

    private final String name;
    private final Detector detector;
    private final double parameter;

    /** @param parameter the utilisation threshold ({@code thr}) or the safety parameter ({@code lr}) */
    public CloudSimMigrationPolicy(String name, Detector detector, double parameter) {
        this.name = name;
        this.detector = detector;
        this.parameter = parameter;
    }

    public static CloudSimMigrationPolicy thrMmt(double threshold) {
        return new CloudSimMigrationPolicy("thr-mmt", Detector.STATIC_THRESHOLD, threshold);
    }

    public static CloudSimMigrationPolicy lrMmt(double safety) {
        return new CloudSimMigrationPolicy("lr-mmt", Detector.LOCAL_REGRESSION, safety);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * PABFD as CloudSim creates VMs: a VM being instantiated asks for its full CPU, and a host's power before the
     * allocation is its idle power (no host has been updated yet).
     */
    @Override
    public void place(Datacenter dc, List<SimVm> vms) {
        Plan plan = new Plan(dc, true);
        for (SimVm vm : vms) {
            SimHost h = plan.findHost(vm, Set.of());
            if (h != null) {
                plan.add(h, vm);
                dc.place(vm, h);
            }
        }
    }

    @Override
    public Decision decide(Datacenter dc) {
        Plan plan = new Plan(dc, false);
        List<SimHost> hosts = dc.hosts();
        Set<SimHost> over = new HashSet<>();
        List<SimHost> overInOrder = new ArrayList<>();
        for (SimHost h : hosts) {
            if (plan.overUtilized(h)) {
                over.add(h);
                overInOrder.add(h);
            }
        }
        // MMT: from each overloaded host, the VM with the least RAM until the host is no longer overloaded.
        List<SimVm> toMigrate = new ArrayList<>();
        for (SimHost h : overInOrder) {
            while (true) {
                SimVm vm = plan.minimumMigrationTime(h);
                if (vm == null) {
                    break;
                }
                toMigrate.add(vm);
                plan.remove(h, vm);
                if (!plan.overUtilized(h)) {
                    break;
                }
            }
        }
        List<Decision.Move> migrations = new ArrayList<>();
        List<SimVm> byCpu = new ArrayList<>(toMigrate);
        byCpu.sort(Comparator.comparingDouble(SimVm::requestedMips).reversed());
        for (SimVm vm : byCpu) {
            SimHost h = plan.findHost(vm, over);
            if (h != null) {
                plan.add(h, vm);
                migrations.add(new Decision.Move(vm.id(), h.name()));
            }
        }
        // As in CloudSim, a host that has just been given a VM may still be evacuated as under-utilised, that VM
        // with it: the map then holds the VM twice, and both migrations run.
        evacuateUnderUtilized(dc, plan, over, migrations);
        return Decision.of(migrations);
    }

    /** CloudSim's {@code getMigrationMapFromUnderUtilizedHosts}: least utilised first, every VM placed or none. */
    private void evacuateUnderUtilized(Datacenter dc, Plan plan, Set<SimHost> over, List<Decision.Move> migrations) {
        List<SimHost> hosts = dc.hosts();
        Set<SimHost> excludedAsSource = new HashSet<>(over);
        Set<SimHost> excludedAsDestination = new HashSet<>(over);
        for (SimHost h : hosts) {
            if (h.utilization() == 0) {
                excludedAsSource.add(h);
                excludedAsDestination.add(h);
            }
        }
        double now = dc.timeS();
        while (excludedAsSource.size() < hosts.size()) {
            SimHost under = null;
            double least = 1;
            for (SimHost h : hosts) {
                if (excludedAsSource.contains(h)) {
                    continue;
                }
                double u = h.utilization();
                if (u > 0 && u < least && !allMigratingOrAnyArriving(h, now)) {
                    least = u;
                    under = h;
                }
            }
            if (under == null) {
                break;
            }
            excludedAsSource.add(under);
            excludedAsDestination.add(under);
            List<SimVm> vms = plan.vmsOn(under).stream().filter(v -> !v.migratingAt(now)).toList();
            if (vms.isEmpty()) {
                continue;
            }
            List<SimVm> byCpu = new ArrayList<>(vms);
            byCpu.sort(Comparator.comparingDouble(SimVm::requestedMips).reversed());
            Map<SimVm, SimHost> placed = new LinkedHashMap<>();
            for (SimVm vm : byCpu) {
                SimHost h = plan.findHost(vm, excludedAsDestination);
                if (h == null) {
                    placed.forEach((v, d) -> plan.remove(d, v));
                    placed.clear();
                    break;
                }
                plan.add(h, vm);
                placed.put(vm, h);
            }
            excludedAsSource.addAll(placed.values());
            placed.forEach((v, d) -> migrations.add(new Decision.Move(v.id(), d.name())));
        }
    }

    private static boolean allMigratingOrAnyArriving(SimHost h, double now) {
        boolean anySettled = false;
        for (SimVm vm : h.vms()) {
            if (vm.migratingAt(now)) {
                return true;
            }
            anySettled = true;
        }
        return !anySettled;
    }

    /** The planning copy of the allocation (CloudSim plans on the hosts, then restores them). */
    private final class Plan {
        private final Datacenter dc;
        private final boolean instantiating;
        private final Map<SimHost, List<SimVm>> vms = new LinkedHashMap<>();
        private final Map<SimHost, Double> allocated = new LinkedHashMap<>();

        Plan(Datacenter dc, boolean instantiating) {
            this.dc = dc;
            this.instantiating = instantiating;
            for (SimHost h : dc.hosts()) {
                vms.put(h, new ArrayList<>(h.vms()));
                double a = 0;
                for (SimVm vm : h.vms()) {
                    a += allocation(h, vm);
                }
                allocated.put(h, a);
            }
        }

        List<SimVm> vmsOn(SimHost h) {
            return vms.get(h);
        }

        /** CPU the VM asks for: all of it while being instantiated, its trace's demand after. */
        double requested(SimVm vm) {
            return instantiating && vm.host() == null ? vm.size().mips() : vm.requestedMips();
        }

        /** What a host's scheduler gives it: each virtual core capped at one physical core. */
        double allocation(SimHost h, SimVm vm) {
            double perCore = requested(vm) / vm.size().cores();
            return Math.min(perCore, h.type().mipsPerCore()) * vm.size().cores();
        }

        void add(SimHost h, SimVm vm) {
            vms.get(h).add(vm);
            allocated.merge(h, allocation(h, vm), Double::sum);
        }

        void remove(SimHost h, SimVm vm) {
            if (vms.get(h).remove(vm)) {
                allocated.merge(h, -allocation(h, vm), Double::sum);
            }
        }

        /** {@code PowerVmSelectionPolicyMinimumMigrationTime}: the least RAM, first in host order among equals. */
        SimVm minimumMigrationTime(SimHost h) {
            SimVm best = null;
            for (SimVm vm : vms.get(h)) {
                if (vm.migratingAt(dc.timeS())) {
                    continue;
                }
                if (best == null || vm.size().memoryMb() < best.size().memoryMb()) {
                    best = vm;
                }
            }
            return best;
        }

        boolean overUtilized(SimHost h) {
            List<SimVm> list = vms.get(h);
            if (detector == Detector.STATIC_THRESHOLD) {
                return requestedShare(h, list) > parameter;
            }
            double[] history = hostHistory(h, list);
            if (history.length < LR_LENGTH) {
                return requestedShare(h, list) > FALLBACK_THRESHOLD;
            }
            double[] y = new double[LR_LENGTH];
            for (int i = 0; i < LR_LENGTH; i++) {
                y[i] = history[LR_LENGTH - i - 1];
            }
            double maxRam = 0;
            for (SimVm vm : list) {
                maxRam = Math.max(maxRam, vm.size().memoryMb());
            }
            double migrationS = maxRam * 8 / dc.setup().migrationLinkMbps();
            double migrationIntervals = Math.ceil(migrationS / dc.setup().intervalS());
            double[] fit = leastSquares(y);
            double predicted = (fit[0] + fit[1] * (LR_LENGTH + migrationIntervals)) * parameter;
            return predicted >= 1;
        }

        private double requestedShare(SimHost h, List<SimVm> list) {
            double sum = 0;
            for (SimVm vm : list) {
                sum += requested(vm);
            }
            return sum / h.totalMips();
        }

        /**
         * {@code PowerHostUtilizationHistory}: the VMs' CPU histories (newest first) weighted by their size over the
         * host's, summed position by position, without the trailing zeros.
         */
        private double[] hostHistory(SimHost h, List<SimVm> list) {
            double[] out = new double[SimVm.HISTORY];
            for (SimVm vm : list) {
                List<Double> hist = vm.history();
                for (int i = 0; i < hist.size(); i++) {
                    out[i] += hist.get(i) * vm.size().mips() / h.totalMips();
                }
            }
            int n = out.length;
            while (n > 0 && out[n - 1] == 0) {
                n--;
            }
            return java.util.Arrays.copyOf(out, n);
        }

        boolean suitable(SimHost h, SimVm vm) {
            double perCore = requested(vm) / vm.size().cores();
            if (perCore > h.type().mipsPerCore()) {
                return false;
            }
            double available = Math.max(0, h.totalMips() - allocated.get(h));
            if (available < requested(vm)) {
                return false;
            }
            if (dc.setup().reserveMemory()) {
                long mem = 0;
                for (SimVm v : vms.get(h)) {
                    mem += v.size().memoryMb();
                }
                return mem + vm.size().memoryMb() <= h.type().memoryMb();
            }
            return true;
        }

        /** PABFD's {@code findHostForVm}: the host whose power rises least, among those it fits without overloading. */
        SimHost findHost(SimVm vm, Set<SimHost> excluded) {
            SimHost best = null;
            double leastIncrease = Double.MAX_VALUE;
            for (SimHost h : dc.hosts()) {
                if (excluded.contains(h) || !suitable(h, vm)) {
                    continue;
                }
                double used = allocated.get(h);
                if (used != 0 && overUtilizedWith(h, vm)) {
                    continue;
                }
                double after = Math.min(1, (used + requested(vm)) / h.totalMips());
                // Before the first update CloudSim's hosts report 0 % (their idle power).
                double before = instantiating && dc.interval() == 0 ? 0 : h.utilization();
                double increase = h.type().power().at(after) - h.type().power().at(before);
                if (increase < leastIncrease) {
                    leastIncrease = increase;
                    best = h;
                }
            }
            return best;
        }

        private boolean overUtilizedWith(SimHost h, SimVm vm) {
            add(h, vm);
            boolean over = overUtilized(h);
            remove(h, vm);
            return over;
        }
    }

    /**
     * Ordinary least squares of y over x = 1..n: {intercept, slope}. CloudSim's {@code getLoessParameterEstimates}
     * weighs by tricube weights only when 40 % of them are zero; for ten samples none is, so it is plain OLS.
     */
    static double[] leastSquares(double[] y) {
        int n = y.length;
        double mx = (n + 1) / 2.0;
        double my = 0;
        for (double v : y) {
            my += v;
        }
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = (i + 1) - mx;
            sxy += dx * (y[i] - my);
            sxx += dx * dx;
        }
        double slope = sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }
}
