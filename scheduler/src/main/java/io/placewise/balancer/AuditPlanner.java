package io.placewise.balancer;

import io.placewise.model.Ar1Forecast;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.GroupPolicy;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import io.placewise.model.NetworkBenefit;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.ServerGroup;
import io.placewise.model.Vm;
import io.placewise.precopy.StrategyAdvice;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.WeighedHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The balancer's four questions (seed 001 §IV): <em>when</em> (imbalance, seed 000 §3.1; hotspot, seed 004
 * §3.4.2), <em>which</em> VM (cheapest useful one, seed 002 §3.4; volume or VSR, seed 004 §3.3/§4.2),
 * <em>where</em> (the placement pipeline with every enabled policy, history records included) and <em>in
 * what order</em> (seed 002 §3.3). Each planned move is applied to a projected cluster and the trigger is
 * re-evaluated on it, so a plan stops as soon as the trigger no longer holds.
 *
 * <p>Consolidation (seed 001 §IV: "VMs on lightly loaded hosts can be packed onto fewer machines … the freed-up
 * PMs can be switched off"): hotspots are relieved first, waking a switched-off host when no enabled one can take
 * a victim; then hosts are evacuated cheapest first (the pre-copy estimate of all their VMs, seed 003), each only
 * when every one of its VMs fits on another powered host that passes every enabled filter and stays under every
 * hotspot threshold now and by the AR(1) forecast (seed 004 §3.4.2), best fit first (seed 001 §IV "where").
 */
public final class AuditPlanner {
    /** Candidates within this much C_m improvement of the best count as equally useful (then: cheapest first). */
    static final double USEFUL_BAND = 0.01;
    private static final double EPS = 1e-9;
    /** Imbalance destinations: the hosts nearest C_diff_min, at most this many, go through the pipeline. */
    static final int DESTINATION_POOL = 64;
    /** Consolidation destinations go through the pipeline this many at a time, fullest first. */
    static final int PACKING_CHUNK = 8;

    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final BalancerSettings settings;
    private final HotspotDetector detector;

    public AuditPlanner(BalancerSettings settings, HotspotDetector detector) {
        this.settings = settings;
        this.detector = detector;
    }

    public BalancerSettings settings() {
        return settings;
    }

    /**
     * Audits {@code cluster} for {@code goal}.
     *
     * @param history   history records, newest first (seed 000 §3.1 step 3)
     * @param busyHosts hosts in a running migration: not judged, not used as source or destination
     */
    public AuditOutcome audit(Goal goal, ClusterSnapshot cluster, PolicySet policies, List<HistoryRecord> history,
                              Set<String> busyHosts) {
        return audit(goal, cluster, policies, history, busyHosts, Set.of(), Set.of());
    }

    /**
     * As above, with what plan execution rules out.
     *
     * @param pinnedVms      VMs not to plan for (migrated within {@code [balancer] vm_cooldown_s})
     * @param noBalloonHosts hosts whose memory overload a balloon step already failed to solve: migrate
     *                       instead (seed 004 §3.3)
     */
    public AuditOutcome audit(Goal goal, ClusterSnapshot cluster, PolicySet policies, List<HistoryRecord> history,
                              Set<String> busyHosts, Set<String> pinnedVms, Set<String> noBalloonHosts) {
        long start = System.nanoTime();
        ProjectedCluster projected = new ProjectedCluster(cluster);
        ImbalanceDetector.Imbalance before = ImbalanceDetector.measure(projected.enabledHosts());
        List<HotspotDetector.Judgement> hotspots = hotspots(cluster, busyHosts);
        Run run = new Run(projected, policies, history, busyHosts, noBalloonHosts);
        run.moved.addAll(pinnedVms);
        boolean triggered = switch (goal) {
            case BALANCE -> before.triggers(settings.threshold());
            case HOTSPOT -> !hotspots.isEmpty();
            case CONSOLIDATE -> !hotspots.isEmpty() || run.somethingToPack();
        };
        if (triggered) {
            switch (goal) {
                case BALANCE -> run.balance();
                case HOTSPOT -> run.relieve(hotspots, false);
                case CONSOLIDATE -> run.consolidate(hotspots);
            }
        }
        ImbalanceDetector.Imbalance after = ImbalanceDetector.measure(run.projected.enabledHosts());
        double ms = (System.nanoTime() - start) / 1e6;
        return new AuditOutcome(goal, triggered, before.cAvg(), before.cM(), settings.threshold(), hotspots,
                run.historyUsed, MigrationOrderer.order(run.moves), run.projected.loads(), after.cM(), run.notes, ms,
                run.freed, run.woken);
    }

    private List<HotspotDetector.Judgement> hotspots(ClusterSnapshot cluster, Set<String> busy) {
        List<HotspotDetector.Judgement> out = new ArrayList<>();
        for (Host h : cluster.hosts()) {
            // Seed 004 §3.4.2: loads of hosts involved in a migration are not stable, so they are not judged;
            // a stale host's numbers are old ([cluster] stale_after_s): it is neither source nor destination.
            if (!h.enabled() || busy.contains(h.name()) || cluster.isStale(h.name())) {
                continue;
            }
            HotspotDetector.Judgement j = detector.judge(h, cluster.samples(h.name()));
            if (j.isHotspot()) {
                out.add(j);
            }
        }
        return out;
    }

    /** One audit's planning state. */
    private final class Run {
        private ProjectedCluster projected;
        private final PolicySet policies;
        private final List<HistoryRecord> history;
        private final Set<String> busy;
        private final List<PlannedMove> moves = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private Long historyUsed;
        private final Set<String> moved = new HashSet<>();
        private final List<String> freed = new ArrayList<>();
        private final List<String> woken = new ArrayList<>();
        /** AR(1) forecasts (CPU, NIC) of the audited cluster's windows, fitted once per host. */
        private final Map<String, double[]> forecasts = new java.util.HashMap<>();
        private final Set<String> noBalloon;
        /** The planner's settings with the history tolerance and NB the policies run with (one rule each). */
        private final BalancerSettings settings;

        Run(ProjectedCluster projected, PolicySet policies, List<HistoryRecord> history, Set<String> busy,
            Set<String> noBalloon) {
            this.settings = AuditPlanner.this.settings.withRulesOf(policies);
            this.noBalloon = noBalloon;
            this.projected = projected;
            this.policies = policies;
            this.history = history;
            this.busy = busy;
        }

        // ---- imbalance -------------------------------------------------------------------------

        void balance() {
            while (moves.size() < settings.maxMoves()) {
                List<Host> enabled = projected.enabledHosts();
                ImbalanceDetector.Imbalance imb = ImbalanceDetector.measure(enabled);
                if (!imb.triggers(settings.threshold())) {
                    return;
                }
                if (settings.historySize() > 0 && fromHistory(imb)) {
                    continue;
                }
                if (!fromScratch(imb, enabled)) {
                    notes.add(String.format(Locale.ROOT, "stopped at C_m %.3f: no further move of a VM from a host "
                            + "above the average to one below it lowers C_m and passes every filter", imb.cM()));
                    return;
                }
            }
            notes.add("stopped at max_moves = " + settings.maxMoves());
        }

        /** Seed 000 §3.1 step 3: a similar situation was decided before; reuse its source and destination. */
        private boolean fromHistory(ImbalanceDetector.Imbalance imb) {
            ClusterSnapshot now = projected.snapshot();
            Optional<HistoryRecord> match = HistoryRecord.latestSimilar(history, now, settings.historyTolerance());
            if (match.isEmpty()) {
                return false;
            }
            HistoryRecord r = match.get();
            Host source = projected.host(r.source());
            Host dest = projected.host(r.destination());
            if (!usable(source) || !usable(dest)) {
                return false;
            }
            for (Vm vm : candidatesByUsefulness(source, dest.cpuUtil(), imb, now)) {
                PlacementRequest req = request(now, vm, List.of(dest));
                // Only the recorded destination is checked: the filters must still accept it, no weighing needed.
                if (pipeline.filter(req, policies).passed().isEmpty()) {
                    continue;
                }
                double cmAfter = cmAfterMove(vm, dest.name());
                if (cmAfter >= imb.cM() - EPS) {
                    continue;
                }
                if (historyUsed == null) {
                    historyUsed = r.id();
                }
                addMigration(vm, dest.name(), r.id(), String.format(Locale.ROOT,
                        "imbalance: C_m %.3f > T %.2f; history record #%d (similar load on every host, within %.2f) "
                                + "moved %s → %s, reused; %s; C_m after %.3f",
                        imb.cM(), settings.threshold(), r.id(), settings.historyTolerance(), r.source(), r.destination(),
                        cheapness(vm, source, dest), cmAfter));
                return true;
            }
            return false;
        }

        /** No similar record: sources near C_diff_max, destinations near C_diff_min (seed 000 §3.1 step 3). */
        private boolean fromScratch(ImbalanceDetector.Imbalance imb, List<Host> enabled) {
            ClusterSnapshot now = projected.snapshot();
            List<Host> sources = enabled.stream().filter(h -> !busy.contains(h.name()) && h.cpuUtil() > imb.cAvg())
                    .sorted(Comparator.comparingDouble(Host::cpuUtil).reversed()).limit(3).toList();
            // Coolest first: the pipeline keeps candidate order between equal weights, so without a
            // preference of its own it picks the host nearest C_diff_min.
            // Only the DESTINATION_POOL coolest: "near C_diff_min" (seed 000), and it keeps the pipeline's work
            // independent of the cluster's size.
            List<Host> below = enabled.stream().filter(h -> !busy.contains(h.name()) && h.cpuUtil() < imb.cAvg())
                    .sorted(Comparator.comparingDouble(Host::cpuUtil)).limit(DESTINATION_POOL).toList();
            if (below.isEmpty()) {
                return false;
            }
            double coolest = below.stream().mapToDouble(Host::cpuUtil).min().orElse(0);
            int attempts = 0;
            for (Host source : sources) {
                for (Vm vm : candidatesByUsefulness(source, coolest, imb, now)) {
                    if (attempts++ >= settings.maxAttempts()) {
                        return false;
                    }
                    PlacementResult r = pipeline.select(request(now, vm, below), policies);
                    for (WeighedHost w : r.weighed()) {
                        double cmAfter = cmAfterMove(vm, w.host());
                        if (cmAfter < imb.cM() - EPS) {
                            Host dest = projected.host(w.host());
                            addMigration(vm, w.host(), null, String.format(Locale.ROOT,
                                    "imbalance: C_m %.3f > T %.2f; %s is among the most loaded (%.1f %%, average %.1f %%), "
                                            + "%s among the least (%.1f %%) and the best host the placement pipeline "
                                            + "weighed that lowers C_m; %s; C_m after %.3f",
                                    imb.cM(), settings.threshold(), source.name(), source.cpuUtil() * 100,
                                    imb.cAvg() * 100, dest.name(), dest.cpuUtil() * 100, cheapness(vm, source, dest), cmAfter));
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /**
         * The source's VMs whose move toward a host at {@code destLoad} lowers C_m: those within
         * {@link #USEFUL_BAND} of the best improvement first, cheapest first among them (seed 002 §3.4:
         * CPU/disk-I/O, small memory, low dirty rate → short pre-copy), then the rest by improvement.
         */
        private List<Vm> candidatesByUsefulness(Host source, double destLoad, ImbalanceDetector.Imbalance imb,
                                                ClusterSnapshot now) {
            double[] others = extremesExcluding(source.name(), null);
            record Scored(Vm vm, double gain, int classRank, double cost) {
            }
            List<Scored> scored = new ArrayList<>();
            for (Vm vm : now.vmsOn(source.name())) {
                if (moved.contains(vm.id())) {
                    continue;
                }
                double srcAfter = source.cpuUtil() - vm.cpuUtil();
                double dstAfter = destLoad + vm.cpuUtil();
                double max = Math.max(others[0], Math.max(srcAfter, dstAfter));
                double min = Math.min(others[1], Math.min(srcAfter, dstAfter));
                double gain = imb.cM() - ImbalanceDetector.cmOfSpread(max, min);
                if (gain > EPS) {
                    double cost = MigrationCost.estimate(vm, MigrationCost.linkMbps(source, null)).totalS();
                    scored.add(new Scored(vm, gain, MigrationCost.classRank(vm.workload()), cost));
                }
            }
            double best = scored.stream().mapToDouble(Scored::gain).max().orElse(0);
            Comparator<Scored> cheapest = Comparator.comparingInt(Scored::classRank).thenComparingDouble(Scored::cost)
                    .thenComparing(s -> s.vm().id());
            List<Scored> band = scored.stream().filter(s -> s.gain() >= best - USEFUL_BAND).sorted(cheapest).toList();
            List<Scored> rest = scored.stream().filter(s -> s.gain() < best - USEFUL_BAND)
                    .sorted(Comparator.comparingDouble(Scored::gain).reversed().thenComparing(cheapest)).toList();
            List<Vm> out = new ArrayList<>(band.size() + rest.size());
            band.forEach(s -> out.add(s.vm()));
            rest.forEach(s -> out.add(s.vm()));
            return out;
        }

        /** The three largest and three smallest enabled loads of the projected state, recomputed after a move. */
        private Host[] top;
        private Host[] bottom;
        private int extremesAt = -1;

        /** Largest and smallest CPU load among enabled hosts other than the two named; O(1) per call. */
        private double[] extremesExcluding(String a, String b) {
            if (extremesAt != moves.size()) {
                List<Host> enabled = projected.enabledHosts();
                top = enabled.stream().sorted(Comparator.comparingDouble(Host::cpuUtil).reversed()).limit(3).toArray(Host[]::new);
                bottom = enabled.stream().sorted(Comparator.comparingDouble(Host::cpuUtil)).limit(3).toArray(Host[]::new);
                extremesAt = moves.size();
            }
            double max = Double.NEGATIVE_INFINITY;
            for (Host h : top) {
                if (!h.name().equals(a) && !h.name().equals(b)) {
                    max = h.cpuUtil();
                    break;
                }
            }
            double min = Double.POSITIVE_INFINITY;
            for (Host h : bottom) {
                if (!h.name().equals(a) && !h.name().equals(b)) {
                    min = h.cpuUtil();
                    break;
                }
            }
            return new double[] {max, min};
        }

        private double cmAfterMove(Vm vm, String destination) {
            Host src = projected.host(vm.host());
            Host dst = projected.host(destination);
            double[] others = extremesExcluding(src.name(), dst.name());
            double srcAfter = Math.max(0, src.cpuUtil() - vm.cpuUtil());
            double dstAfter = Math.min(1, dst.cpuUtil() + projected.cpuOn(vm, destination));
            double max = Math.max(others[0], Math.max(srcAfter, dstAfter));
            double min = Math.min(others[1], Math.min(srcAfter, dstAfter));
            return ImbalanceDetector.cmOfSpread(max, min);
        }

        // ---- hotspots --------------------------------------------------------------------------

        /** @param wake whether a switched-off host may be switched on when no enabled one can take a victim */
        void relieve(List<HotspotDetector.Judgement> initial, boolean wake) {
            List<HotspotDetector.Judgement> worstFirst = new ArrayList<>(initial);
            worstFirst.sort(Comparator.comparingDouble((HotspotDetector.Judgement j) -> projected.host(j.host()).cpuUtil())
                    .reversed());
            VictimSelector selector = VictimSelector.of(settings);
            for (HotspotDetector.Judgement first : worstFirst) {
                String hostName = first.host();
                int guard = projected.snapshot().vmsOn(hostName).size() + 1;
                while (guard-- > 0 && moves.size() < settings.maxMoves()) {
                    ClusterSnapshot now = projected.snapshot();
                    HotspotDetector.Judgement j = detector.judge(projected.host(hostName), now.samples(hostName));
                    if (!j.isHotspot()) {
                        break;
                    }
                    // Seed 004 §3.3: memory overload is answered by a balloon step first, and before CPU.
                    if (j.memory() && !noBalloon.contains(hostName) && balloon(j, now, selector)) {
                        if (j.cpu() || j.network()) {
                            notes.add(hostName + ": memory overload is solved first (seed 004 §3.3: less swapping may "
                                    + "also lower CPU); its CPU/NIC overload is judged again at the next audit");
                        }
                        break;
                    }
                    if (!migrateVictim(j, now, selector)) {
                        if (wake && wakeFor(j)) {
                            continue;
                        }
                        notes.add(hostName + ": still a hotspot (" + j.reason() + "); no VM on it fits any other host");
                        break;
                    }
                }
            }
        }

        /** A fixed balloon step for the most swapping VM, within the host's free memory. */
        private boolean balloon(HotspotDetector.Judgement j, ClusterSnapshot now, VictimSelector selector) {
            long step = settings.balloonStepMb();
            Host host = projected.host(j.host());
            long free = host.capacity().memoryMb() - now.usage(j.host()).memoryMb();
            if (step <= 0 || free < step) {
                return false;
            }
            Optional<Vm> swapping = now.vmsOn(j.host()).stream().filter(v -> !moved.contains(v.id()))
                    .max(Comparator.comparingDouble(Vm::swapWritesPerS).thenComparing(Vm::id, Comparator.reverseOrder()));
            if (swapping.isEmpty() || swapping.get().swapWritesPerS() <= 0) {
                // Nobody measured swapping: fall back to the victim policy's first choice.
                swapping = selector.rank(now, j).stream().map(VictimSelector.Candidate::vm)
                        .filter(v -> !moved.contains(v.id())).findFirst();
            }
            if (swapping.isEmpty()) {
                return false;
            }
            Vm vm = swapping.get();
            Map<String, Double> loads = projected.loads();
            projected.grow(vm, step);
            moves.add(new PlannedMove(0, PlannedMove.Action.GROW_MEMORY, vm.id(), vm.host(), vm.host(), null, step,
                    String.format(Locale.ROOT, "memory overload (%s): balloon step of %d MiB for %s (%.0f swap writes/s) "
                            + "on its own host, %d MiB free there; migration only if this does not stop the swapping",
                            j.reason(), step, vm.id(), vm.swapWritesPerS(), free),
                    vm.workload(), vm.memoryMb(), loads, null));
            moved.add(vm.id());
            return true;
        }

        /** Seed 004 §3.3: the best-ranked victim that the pipeline can place; next-best when none fits. */
        private boolean migrateVictim(HotspotDetector.Judgement j, ClusterSnapshot now, VictimSelector selector) {
            List<Host> others = projected.enabledHosts().stream()
                    .filter(h -> !h.name().equals(j.host()) && !busy.contains(h.name())).toList();
            if (others.isEmpty()) {
                return false;
            }
            int attempts = 0;
            for (VictimSelector.Candidate c : selector.rank(now, j)) {
                Vm vm = c.vm();
                if (moved.contains(vm.id())) {
                    continue;
                }
                if (attempts++ >= settings.maxAttempts()) {
                    return false;
                }
                PlacementResult r = pipeline.select(request(now, vm, others), policies);
                for (WeighedHost w : r.weighed()) {
                    // Never relieve one hotspot by making another, on any resource the detector judges.
                    if (hotspotMadeBy(projected, vm, w.host(), true) != null) {
                        continue;
                    }
                    addMigration(vm, w.host(), null, String.format(Locale.ROOT,
                            "%s; victim by %s: %s; destination %s is the best host the placement pipeline weighed "
                                    + "that stays under every hotspot threshold (CPU, swap writes, NIC)",
                            j.reason(), settings.victimPolicy().wireName(), c.why(), w.host()));
                    return true;
                }
            }
            return false;
        }


        // ---- consolidation ---------------------------------------------------------------------

        /** At least two powered hosts hold VMs: there is something to pack. */
        boolean somethingToPack() {
            ClusterSnapshot now = projected.snapshot();
            return projected.enabledHosts().stream().filter(h -> !now.vmsOn(h.name()).isEmpty()).limit(2).count() > 1;
        }

        void consolidate(List<HotspotDetector.Judgement> hotspots) {
            // The hotspot goal guards consolidation: what is overloaded is relieved before anything is packed.
            if (!hotspots.isEmpty()) {
                relieve(hotspots, true);
            }
            Set<String> received = new HashSet<>();
            moves.forEach(m -> received.add(m.destination()));
            for (String host : evacuationOrder(received)) {
                if (moves.size() >= settings.maxMoves()) {
                    notes.add("stopped at max_moves = " + settings.maxMoves());
                    break;
                }
                int vms = projected.snapshot().vmsOn(host).size();
                if (moves.size() + vms > settings.maxMoves() || received.contains(host)) {
                    continue;
                }
                Optional<List<String[]>> evacuation = evacuate(host);
                if (evacuation.isEmpty()) {
                    continue;
                }
                double cost = 0;
                for (String[] move : evacuation.get()) {
                    Vm vm = projected.snapshot().vm(move[0]);
                    cost += MigrationCost.estimate(vm, MigrationCost.linkMbps(projected.host(host), projected.host(move[1])))
                            .totalS();
                    addMigration(vm, move[1], null, String.format(Locale.ROOT,
                            "consolidate: freeing %s, among the cheapest hosts to evacuate (%s VM(s)); %s goes to %s, the "
                                    + "fullest powered host that passes every enabled filter and stays under every hotspot "
                                    + "threshold now and by its AR(1) forecast (CPU %.1f %% → %.1f %%)",
                            move[2], move[3], vm.id(), move[1], Double.parseDouble(move[4]) * 100,
                            Double.parseDouble(move[5]) * 100));
                    received.add(move[1]);
                }
                projected.setEnabled(host, false);
                freed.add(host);
                notes.add(String.format(Locale.ROOT, "freed %s: its %d VM(s) fit on other powered hosts (pre-copy "
                        + "estimate %.1f s in all)", host, vms, cost));
            }
            // Powered hosts that hold nothing (and are not being woken for a hotspot) can be switched off too.
            ClusterSnapshot now = projected.snapshot();
            for (Host h : projected.enabledHosts()) {
                if (now.vmsOn(h.name()).isEmpty() && !busy.contains(h.name()) && !received.contains(h.name())
                        && !woken.contains(h.name())) {
                    projected.setEnabled(h.name(), false);
                    freed.add(h.name());
                }
            }
        }

        /**
         * Powered, idle-enough hosts in the order that frees the most hosts for the least migration: cheapest
         * evacuation first (the pre-copy estimate summed over the host's VMs), then fewer VMs, lower CPU, name.
         * Hotspots, hosts in a running migration and destinations of this plan are not evacuated.
         */
        private List<String> evacuationOrder(Set<String> received) {
            ClusterSnapshot now = projected.snapshot();
            record Candidate(String host, double cost, int vms, double cpu) {
            }
            List<Candidate> out = new ArrayList<>();
            for (Host h : projected.enabledHosts()) {
                List<Vm> vms = now.vmsOn(h.name());
                if (vms.isEmpty() || busy.contains(h.name()) || received.contains(h.name())
                        || detector.judge(h, now.samples(h.name())).isHotspot()) {
                    continue;
                }
                double cost = 0;
                for (Vm vm : vms) {
                    cost += MigrationCost.estimate(vm, MigrationCost.linkMbps(h, null)).totalS();
                }
                out.add(new Candidate(h.name(), cost, vms.size(), h.cpuUtil()));
            }
            out.sort(Comparator.comparingDouble(Candidate::cost).thenComparingInt(Candidate::vms)
                    .thenComparingDouble(Candidate::cpu).thenComparing(Candidate::host));
            return out.stream().map(Candidate::host).toList();
        }

        /**
         * Plans moving every VM off {@code host}, largest CPU first (first-fit decreasing); each goes to the fullest
         * powered host with VMs that stays under every hotspot threshold now and by its AR(1) forecast and passes every
         * enabled filter. Each destination takes one of the host's VMs, so every check is made against the
         * destination's projected state as it is. Empty when one VM fits nowhere: nothing is moved then.
         *
         * @return {vm, destination, freed host, its VM count, destination CPU before, after} per move, in planning order
         */
        private Optional<List<String[]>> evacuate(String host) {
            ClusterSnapshot now = projected.snapshot();
            List<Vm> vms = new ArrayList<>(now.vmsOn(host));
            vms.sort(Comparator.comparingDouble(Vm::cpuUtil).reversed().thenComparing(Comparator.comparingLong(Vm::memoryMb)
                    .reversed()).thenComparing(Vm::id));
            List<Host> pool = projected.enabledHosts().stream().filter(d -> !d.name().equals(host)
                    && !busy.contains(d.name()) && !now.vmsOn(d.name()).isEmpty()).toList();
            Set<String> taken = new HashSet<>();
            List<String[]> planned = new ArrayList<>();
            for (Vm vm : vms) {
                if (moved.contains(vm.id())) {
                    return Optional.empty();
                }
                record Fit(Host host, double cpuAfter) {
                }
                // Cheap CPU test first; the full hotspot test (every resource, AR(1) forecast) and the pipeline only
                // for the fullest hosts, a chunk at a time, until one passes.
                List<Fit> fits = new ArrayList<>();
                for (Host d : pool) {
                    double after = d.cpuUtil() + projected.cpuOn(vm, d.name());
                    if (!taken.contains(d.name()) && after <= detector.cpuThreshold()) {
                        fits.add(new Fit(d, after));
                    }
                }
                fits.sort(Comparator.comparingDouble(Fit::cpuAfter).reversed().thenComparing(f -> f.host().name()));
                String chosen = null;
                List<Host> chunk = new ArrayList<>(PACKING_CHUNK);
                for (int i = 0; i < fits.size() && chosen == null; i++) {
                    Host d = fits.get(i).host();
                    if (hotspotMadeBy(projected, vm, d.name(), true) == null) {
                        chunk.add(d);
                    }
                    if (chunk.size() == PACKING_CHUNK || (i == fits.size() - 1 && !chunk.isEmpty())) {
                        List<Host> passed = pipeline.filter(request(now, vm, chunk), policies).passed();
                        chosen = passed.isEmpty() ? null : passed.get(0).name();
                        chunk.clear();
                    }
                }
                if (chosen == null) {
                    return Optional.empty();
                }
                taken.add(chosen);
                Host dst = projected.host(chosen);
                planned.add(new String[] {vm.id(), chosen, host, Integer.toString(vms.size()),
                        Double.toString(dst.cpuUtil()), Double.toString(dst.cpuUtil() + projected.cpuOn(vm, chosen))});
            }
            return Optional.of(planned);
        }

        /**
         * Switches on the switched-off host a hotspot needs: the largest idle one (most vCPUs, then memory, then
         * name). Under the consolidate goal a disabled empty host is taken to be one consolidation switched off.
         */
        private boolean wakeFor(HotspotDetector.Judgement j) {
            ClusterSnapshot now = projected.snapshot();
            Optional<Host> idle = projected.allHosts().stream()
                    .filter(h -> !h.enabled() && !busy.contains(h.name()) && now.vmsOn(h.name()).isEmpty())
                    .max(Comparator.comparingInt((Host h) -> h.capacity().vcpus())
                            .thenComparingLong(h -> h.capacity().memoryMb())
                            .thenComparing(Host::name, Comparator.reverseOrder()));
            if (idle.isEmpty()) {
                return false;
            }
            projected.setEnabled(idle.get().name(), true);
            woken.add(idle.get().name());
            notes.add("woke " + idle.get().name() + ": " + j.host() + " is a hotspot (" + j.reason()
                    + ") and no powered host can take any of its VMs");
            return true;
        }

        // ---- shared ----------------------------------------------------------------------------

        /**
         * The resource {@code vm} would overload on {@code destination} (CPU, swap writes, NIC, as the hotspot
         * detector judges them), or null: the projected value over the threshold, and with {@code forecast} also the
         * AR(1) forecast of the destination's window plus the VM's share. "Never relieve one hotspot by making
         * another."
         */
        private String hotspotMadeBy(ProjectedCluster on, Vm vm, String destination, boolean forecast) {
            Host before = on.host(destination);
            Host after = on.destinationAfter(vm, destination);
            if (after.cpuUtil() > detector.cpuThreshold()) {
                return "CPU";
            }
            if (after.swapWritesPerS() > detector.swapWritesThreshold()) {
                return "swap writes";
            }
            if (after.nicUtil() > detector.nicThreshold()) {
                return "NIC";
            }
            // A host a move touched has lost its window (its projection is its forecast): no forecast then.
            if (forecast && !on.snapshot().samples(destination).isEmpty()) {
                double[] f = forecasts.computeIfAbsent(destination, h -> {
                    List<LoadSample> window = on.snapshot().samples(h);
                    // The hotspot rule's forecast (Ar1Forecast.next, as HotspotDetector); the window is not empty here.
                    return new double[] {Ar1Forecast.next(window, LoadSample::cpuUtil, Double.NEGATIVE_INFINITY),
                            Ar1Forecast.next(window, LoadSample::nicUtil, Double.NEGATIVE_INFINITY)};
                });
                if (f[0] + after.cpuUtil() - before.cpuUtil() > detector.cpuThreshold()) {
                    return "CPU (AR(1) forecast)";
                }
                if (f[1] + after.nicUtil() - before.nicUtil() > detector.nicThreshold()) {
                    return "NIC (AR(1) forecast)";
                }
            }
            return null;
        }

        private boolean usable(Host h) {
            return h != null && projected.live(h) && !busy.contains(h.name());
        }

        private PlacementRequest request(ClusterSnapshot now, Vm vm, List<Host> candidates) {
            ServerGroup group = null;
            if (vm.group() != null) {
                // A cloud's server group keeps its rule (an anti-affinity member never joins a sibling); a group
                // only VMs name is a communicating group: a soft preference to stay together, not a hard rule.
                Set<String> members = new HashSet<>();
                now.groupMembers(vm.group()).forEach(m -> members.add(m.id()));
                group = new ServerGroup(vm.group(), now.groupPolicy(vm.group()).orElse(GroupPolicy.SOFT_AFFINITY), members);
            }
            // The VM's measured traffic goes with it, so CapacityFilter checks NIC headroom for the move too.
            List<PeerTraffic> traffic = new ArrayList<>();
            now.peersOf(vm.id()).forEach((peer, mbps) -> traffic.add(new PeerTraffic(peer, mbps)));
            traffic.sort(Comparator.comparing(PeerTraffic::peer));
            PlacementSpec spec = new PlacementSpec(vm.id(), new Flavor(vm.vcpus(), vm.memoryMb(), vm.diskGb(), Map.of()),
                    vm.workload(), vm.nonsharable(), group, traffic, vm.host(), Map.of());
            return new PlacementRequest(now, spec, candidates, 1, history);
        }

        private void addMigration(Vm vm, String destination, Long historyRecordId, String reason) {
            Host src = projected.host(vm.host());
            Host dst = projected.host(destination);
            StrategyAdvice advice = MigrationCost.advise(vm, MigrationCost.linkMbps(src, dst));
            Map<String, Double> loads = new LinkedHashMap<>(projected.loads());
            double benefit = NetworkBenefit.ofMove(projected.snapshot(), vm.id(), settings.networkBoundMbps());
            projected.move(vm, destination, Math.max(0, benefit));
            moved.add(vm.id());
            moves.add(new PlannedMove(0, PlannedMove.Action.MIGRATE, vm.id(), src.name(), destination, advice.strategy(), 0,
                    reason + "; strategy " + advice.strategy().wireName() + ": " + advice.reason(), vm.workload(),
                    vm.memoryMb(), loads, historyRecordId));
        }

        private String cheapness(Vm vm, Host source, Host dest) {
            return String.format(Locale.ROOT, "%s is among the cheapest useful VMs to move (%s workload, %d MiB, "
                            + "dirty rate %.1f Mbit/s, pre-copy estimate %.2f s)", vm.id(), vm.workload(), vm.memoryMb(),
                    vm.dirtyRateMbps(), MigrationCost.estimate(vm, MigrationCost.linkMbps(source, dest)).totalS());
        }
    }
}
