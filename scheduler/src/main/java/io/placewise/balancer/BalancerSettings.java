package io.placewise.balancer;

import io.placewise.model.HistoryRecord;
import io.placewise.model.NetworkBenefit;
import io.placewise.plugin.ParamException;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PolicyParams;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The balancer's decision settings ({@code [balancer]} in placewise.conf).
 *
 * @param threshold          T of seed 000 §3.1 step 2: imbalance triggers when C_m &gt; T
 * @param victimPolicy       hotspot victim choice: seed 004's volume or Sandpiper's VSR
 * @param historyTolerance   a history record is similar when every host it names is within this CPU utilisation;
 *                           in an audit, {@code [HistoryMatchWeigher] tolerance} as the policies run it
 * @param historySize        history records kept (seed 000 §4.1 evaluates 20)
 * @param balloonStepMb      memory given to a swapping VM per balloon step (seed 004 §3.3, fixed step)
 * @param networkBoundMbps   NB of seed 004 Eq. (2): the most traffic one VM pushes through the NIC; in an audit,
 *                           {@code [IdcNetworkBenefitWeigher] network_bound_mbps} as the policies run it
 * @param maxMoves           upper bound on migrations in one plan
 * @param maxAttempts        victims tried through the placement pipeline per planned move
 */
public record BalancerSettings(double threshold, VictimPolicy victimPolicy, double historyTolerance, int historySize,
                               long balloonStepMb, double networkBoundMbps, int maxMoves, int maxAttempts) {
    private static final double DEFAULT_THRESHOLD = 0.1;
    public static final BalancerSettings DEFAULT = new BalancerSettings(DEFAULT_THRESHOLD, VictimPolicy.VOLUME,
            HistoryRecord.DEFAULT_TOLERANCE, 20, 32, NetworkBenefit.DEFAULT_NETWORK_BOUND_MBPS, 50, 8);

    /** The policy whose parameter is the history-similarity tolerance: one rule for placing and for balancing. */
    public static final String HISTORY_RULE = "HistoryMatchWeigher";
    /** The policy whose parameter is NB: one network-benefit rule for placing and for choosing victims. */
    public static final String NETWORK_RULE = "IdcNetworkBenefitWeigher";

    /**
     * {@code [balancer]} keys that became deprecated aliases of the policy parameter that is the one rule
     * (policy, parameter): placing and balancing judge history similarity and NB alike (issue 14 item 3).
     */
    public static final Map<String, Map.Entry<String, String>> RULE_KEYS = Map.of(
            "history_tolerance", Map.entry(HISTORY_RULE, HistoryRecord.TOLERANCE),
            "network_bound_mbps", Map.entry(NETWORK_RULE, NetworkBenefit.NETWORK_BOUND));

    /**
     * The {@code [balancer]} decision keys, in the grammar of policy parameters (one reader for the
     * bridge and the simulator). {@code history_tolerance} and {@code network_bound_mbps} are
     * deprecated aliases of {@link #HISTORY_RULE}'s and {@link #NETWORK_RULE}'s parameters.
     */
    public static final List<ParamSpec> PARAMETERS = List.of(
            ParamSpec.number("threshold", DEFAULT_THRESHOLD, 0, 1, "T: imbalance triggers when C_m > T"),
            ParamSpec.string("victim_policy", "volume", "hotspot victims: volume or vsr"),
            ParamSpec.number("history_tolerance", HistoryRecord.DEFAULT_TOLERANCE, 0, 1,
                    "deprecated alias of [HistoryMatchWeigher] tolerance"),
            ParamSpec.integer("history_size", 20, 0, 10_000, "history records kept"),
            ParamSpec.integer("balloon_step_mb", 32, 0, 1_048_576, "memory given to a swapping VM per balloon step"),
            ParamSpec.number("network_bound_mbps", NetworkBenefit.DEFAULT_NETWORK_BOUND_MBPS, 0, 1e6,
                    "deprecated alias of [IdcNetworkBenefitWeigher] network_bound_mbps"),
            ParamSpec.integer("max_moves", 50, 1, 10_000, "upper bound on migrations in one plan"),
            ParamSpec.integer("max_attempts", 8, 1, 10_000, "victims tried per planned move"));

    /**
     * The settings of checked {@link #PARAMETERS}.
     *
     * @throws ParamException naming the key whose value means nothing
     */
    public static BalancerSettings of(PolicyParams p) {
        String policyText = p.getString("victim_policy");
        VictimPolicy policy = VictimPolicy.fromWire(policyText).orElseThrow(() ->
                new ParamException("victim_policy", "'" + policyText + "' is not volume or vsr"));
        return new BalancerSettings(p.getDouble("threshold"), policy, p.getDouble("history_tolerance"),
                p.getInt("history_size"), p.getLong("balloon_step_mb"), p.getDouble("network_bound_mbps"),
                p.getInt("max_moves"), p.getInt("max_attempts"));
    }

    /**
     * These settings with the tolerance and NB the policies run with (a PATCH of the weigher's
     * parameter applies to the balancer too); as they are when the policies do not have the rule.
     */
    public BalancerSettings withRulesOf(PolicySet policies) {
        double tolerance = param(policies, HISTORY_RULE, HistoryRecord.TOLERANCE).orElse(historyTolerance);
        double nb = param(policies, NETWORK_RULE, NetworkBenefit.NETWORK_BOUND).orElse(networkBoundMbps);
        return new BalancerSettings(threshold, victimPolicy, tolerance, historySize, balloonStepMb, nb, maxMoves, maxAttempts);
    }

    private static Optional<Double> param(PolicySet policies, String policy, String name) {
        return policies.settings(policy).map(PolicySettings::params).filter(p -> p.spec(name).isPresent())
                .map(p -> p.getDouble(name));
    }

    public BalancerSettings {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
        }
        if (victimPolicy == null) {
            throw new IllegalArgumentException("victim_policy is required");
        }
        if (!(historyTolerance >= 0 && historyTolerance <= 1)) {
            throw new IllegalArgumentException("history_tolerance must be in [0, 1], was " + historyTolerance);
        }
        if (historySize < 0) {
            throw new IllegalArgumentException("history_size must be >= 0, was " + historySize);
        }
        if (balloonStepMb < 0) {
            throw new IllegalArgumentException("balloon_step_mb must be >= 0, was " + balloonStepMb);
        }
        if (!(networkBoundMbps >= 0)) {
            throw new IllegalArgumentException("network_bound_mbps must be >= 0, was " + networkBoundMbps);
        }
        if (maxMoves < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("max_moves and max_attempts must be >= 1");
        }
    }

    public BalancerSettings withVictimPolicy(VictimPolicy policy) {
        return new BalancerSettings(threshold, policy, historyTolerance, historySize, balloonStepMb, networkBoundMbps,
                maxMoves, maxAttempts);
    }

    public BalancerSettings withHistorySize(int size) {
        return new BalancerSettings(threshold, victimPolicy, historyTolerance, size, balloonStepMb, networkBoundMbps,
                maxMoves, maxAttempts);
    }
}
