package io.placewise.sim.policy;

import io.placewise.balancer.Goal;
import io.placewise.sim.engine.SimPolicy;
import java.util.ArrayList;
import java.util.List;

/** The policies {@code --policies} names, in the order given. */
public final class SimPolicies {
    /** Every policy name, in the order the report lists them by default. */
    public static final List<String> NAMES = List.of("none", "thr-mmt", "lr-mmt", "sandpiper", "placewise-balance",
            "placewise-hotspot", "placewise-consolidate");
    /** CloudSim's reference parameters: THR 0.8, LR safety 1.2 (the experiment's {@code ThrMmt} and {@code LrMmt}). */
    public static final double THR_THRESHOLD = 0.8;
    public static final double LR_SAFETY = 1.2;

    private SimPolicies() {
    }

    /** @throws IllegalArgumentException naming the unknown policy and the known ones */
    public static List<SimPolicy> create(List<String> names, PlacewiseSettings settings) {
        List<SimPolicy> out = new ArrayList<>();
        for (String n : names) {
            out.add(switch (n) {
                case "none" -> new PlacewisePolicy("none", null, settings);
                case "thr-mmt" -> CloudSimMigrationPolicy.thrMmt(THR_THRESHOLD);
                case "lr-mmt" -> CloudSimMigrationPolicy.lrMmt(LR_SAFETY);
                case "sandpiper" -> new SandpiperPolicy(settings);
                case "placewise-balance" -> new PlacewisePolicy(n, Goal.BALANCE, settings);
                case "placewise-hotspot" -> new PlacewisePolicy(n, Goal.HOTSPOT, settings);
                case "placewise-consolidate" -> new PlacewisePolicy(n, Goal.CONSOLIDATE, settings);
                default -> throw new IllegalArgumentException("unknown policy '" + n + "' (known: " + String.join(", ", NAMES) + ")");
            });
        }
        return out;
    }
}
