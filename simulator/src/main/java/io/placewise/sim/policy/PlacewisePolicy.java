package io.placewise.sim.policy;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.AuditPlanner;
import io.placewise.balancer.Goal;
import io.placewise.balancer.PlannedMove;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.PlacementSpec;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.sim.engine.Datacenter;
import io.placewise.sim.engine.Decision;
import io.placewise.sim.engine.SimHost;
import io.placewise.sim.engine.SimPolicy;
import io.placewise.sim.engine.SimVm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Placewise's own decision core under replay, not a re-implementation: new VMs go through the
 * {@link PlacementPipeline} with every enabled filter and weigher, and every interval the {@link AuditPlanner}
 * audits the cluster for the policy's goal with the same settings the bridge uses; executed moves become history
 * records (seed 000 §3.1) for the next audits and placements, as on the bridge.
 *
 * <ul>
 * <li>{@code none}: the pipeline's placement, no migrations;</li>
 * <li>{@code placewise-balance}: the imbalance goal (seed 000 §3.1);</li>
 * <li>{@code placewise-hotspot}: the hotspot goal (seed 004 §3.4.2, volume victims);</li>
 * <li>{@code placewise-consolidate}: the consolidate goal, which relieves hotspots first (seed 001 §IV). New VMs are
 *     stacked as Nova operators stack for consolidation: BalanceWeigher's multiplier is negated.</li>
 * </ul>
 */
public final class PlacewisePolicy implements SimPolicy {
    private final String name;
    private final Goal goal;
    private final PlacewiseSettings settings;
    private final PolicySet placement;
    private final AuditPlanner planner;
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final List<HistoryRecord> history = new ArrayList<>();
    private long nextRecord = 1;

    /** @param goal the audit run every interval, or null for none */
    public PlacewisePolicy(String name, Goal goal, PlacewiseSettings settings) {
        this.name = name;
        this.goal = goal;
        this.settings = settings;
        this.placement = goal == Goal.CONSOLIDATE ? stacking(settings.policies()) : settings.policies();
        this.planner = new AuditPlanner(settings.balancer(), settings.detector());
    }

    private static PolicySet stacking(PolicySet set) {
        return set.settings("BalanceWeigher").map(s -> set.withOverride("BalanceWeigher",
                new PolicyOverride(null, -Math.abs(s.multiplier() == null ? 1.0 : s.multiplier()), Map.of()))).orElse(set);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void place(Datacenter dc, List<SimVm> vms) {
        double unit = dc.setup().cpuUnitMips();
        ClusterView.Builder view = new ClusterView.Builder(dc);
        for (SimVm vm : vms) {
            ClusterSnapshot now = view.build();
            List<Host> candidates = now.hosts().stream().filter(Host::enabled).toList();
            PlacementSpec spec = new PlacementSpec(vm.id(), new Flavor(ClusterView.units(vm.size().mips(), unit),
                    vm.size().memoryMb(), vm.size().diskGb(), Map.of()), vm.workload(), Set.of(), null, List.of(), null,
                    Map.of());
            PlacementResult r = pipeline.select(new PlacementRequest(now, spec, candidates, 1, history), placement);
            if (!r.selected().isEmpty()) {
                SimHost h = dc.host(r.selected().get(0));
                dc.place(vm, h);
                view.placed(h, vm);
            }
        }
    }

    @Override
    public Decision decide(Datacenter dc) {
        if (goal == null) {
            return Decision.NONE;
        }
        ClusterSnapshot now = ClusterView.of(dc);
        AuditOutcome out = planner.audit(goal, now, settings.policies(), List.copyOf(history), dc.busyHosts());
        List<Decision.Move> moves = new ArrayList<>();
        Instant at = Instant.ofEpochSecond((long) dc.timeS());
        for (PlannedMove m : out.plan()) {
            if (m.action() != PlannedMove.Action.MIGRATE) {
                // A balloon step changes no placement; the trace's memory use decides whether the swapping stops.
                continue;
            }
            moves.add(new Decision.Move(m.vm(), m.destination()));
            remember(new HistoryRecord(nextRecord++, at, m.loadsBefore(), m.vm(), m.source(), m.destination()));
        }
        return new Decision(moves, Set.copyOf(out.freedHosts()), Set.copyOf(out.wokenHosts()));
    }

    /** Newest first, at most {@code [balancer] history_size}, as the bridge keeps them. */
    private void remember(HistoryRecord r) {
        int keep = settings.balancer().historySize();
        if (keep <= 0) {
            return;
        }
        history.add(0, r);
        while (history.size() > keep) {
            history.remove(history.size() - 1);
        }
    }
}
