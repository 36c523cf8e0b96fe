package io.placewise.balancer;

/**
 * The balancer's decision settings ({@code [balancer]} in placewise.conf).
 *
 * @param threshold          T of seed 000 §3.1 step 2: imbalance triggers when C_m &gt; T
 * @param victimPolicy       hotspot victim choice: seed 004's volume or Sandpiper's VSR
 * @param historyTolerance   a history record is similar when every host it names is within this CPU utilisation
 * @param historySize        history records kept (seed 000 §4.1 evaluates 20)
 * @param balloonStepMb      memory given to a swapping VM per balloon step (seed 004 §3.3, fixed step)
 * @param networkBoundMbps   NB of seed 004 Eq. (2): the most traffic one VM pushes through the NIC
 * @param maxMoves           upper bound on migrations in one plan
 * @param maxAttempts        victims tried through the placement pipeline per planned move
 */
public record BalancerSettings(double threshold, VictimPolicy victimPolicy, double historyTolerance, int historySize,
                               long balloonStepMb, double networkBoundMbps, int maxMoves, int maxAttempts) {
    public static final BalancerSettings DEFAULT = new BalancerSettings(0.1, VictimPolicy.VOLUME, 0.05, 20, 32, 1000.0, 50, 8);

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
