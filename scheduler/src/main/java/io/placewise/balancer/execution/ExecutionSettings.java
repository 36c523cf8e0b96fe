package io.placewise.balancer.execution;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How plans are executed ({@code [balancer]} of placewise.conf): the safety limits, how long an
 * executor may stay silent, and which strategy is ordered.
 *
 * @param maxParallelPerHost  migrations running at once that involve one host (as source or destination)
 * @param maxParallel         migrations running at once in the cluster
 * @param maxMovesPerHour     migrations started in any rolling hour; 0 for no limit
 * @param vmCooldown          a migrated VM is not planned or moved again for this long
 * @param unreachableGrace    how long an executor may fail to answer before a step counts as failed
 *                            (it is still asked afterwards, and corrected if it did complete)
 * @param strategy            {@code auto}: the agent chooses at the point of migration; {@code planned}:
 *                            the planner's proposal is ordered
 * @param failedMoveCooldown  a VM whose migration failed or was aborted is not planned again for this long
 *                            (a blocked destination is not tried over and over)
 */
public record ExecutionSettings(int maxParallelPerHost, int maxParallel, int maxMovesPerHour, Duration vmCooldown,
                                Duration unreachableGrace, StrategyChoice strategy, Duration failedMoveCooldown) {
    public static final ExecutionSettings DEFAULT = new ExecutionSettings(1, 4, 20, Duration.ofSeconds(1800),
            Duration.ofSeconds(120), StrategyChoice.AUTO, Duration.ofSeconds(600));

    /** With the default cooldown after a failed move. */
    public ExecutionSettings(int maxParallelPerHost, int maxParallel, int maxMovesPerHour, Duration vmCooldown,
                             Duration unreachableGrace, StrategyChoice strategy) {
        this(maxParallelPerHost, maxParallel, maxMovesPerHour, vmCooldown, unreachableGrace, strategy, Duration.ofSeconds(600));
    }

    public ExecutionSettings {
        if (maxParallelPerHost < 1 || maxParallel < 1) {
            throw new IllegalArgumentException("max_parallel_per_host and max_parallel must be >= 1");
        }
        if (maxMovesPerHour < 0) {
            throw new IllegalArgumentException("max_moves_per_hour must be >= 0");
        }
        if (vmCooldown.isNegative() || unreachableGrace.isNegative() || failedMoveCooldown.isNegative()) {
            throw new IllegalArgumentException("vm_cooldown_s, agent_unreachable_grace_s and failed_move_cooldown_s must be >= 0");
        }
        if (strategy == null) {
            throw new IllegalArgumentException("strategy is required");
        }
    }

    /** Which strategy the bridge orders for a migration. */
    public enum StrategyChoice {
        AUTO, PLANNED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<StrategyChoice> fromWire(String s) {
            for (StrategyChoice c : values()) {
                if (c.wireName().equals(s)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    public ExecutionSettings withLimits(int perHost, int cluster, int perHour) {
        return new ExecutionSettings(perHost, cluster, perHour, vmCooldown, unreachableGrace, strategy, failedMoveCooldown);
    }

    public ExecutionSettings withCooldown(Duration cooldown) {
        return new ExecutionSettings(maxParallelPerHost, maxParallel, maxMovesPerHour, cooldown, unreachableGrace, strategy, failedMoveCooldown);
    }

    public ExecutionSettings withGrace(Duration grace) {
        return new ExecutionSettings(maxParallelPerHost, maxParallel, maxMovesPerHour, vmCooldown, grace, strategy, failedMoveCooldown);
    }

    public ExecutionSettings withStrategy(StrategyChoice choice) {
        return new ExecutionSettings(maxParallelPerHost, maxParallel, maxMovesPerHour, vmCooldown, unreachableGrace, choice, failedMoveCooldown);
    }

    public ExecutionSettings withFailedMoveCooldown(Duration cooldown) {
        return new ExecutionSettings(maxParallelPerHost, maxParallel, maxMovesPerHour, vmCooldown, unreachableGrace, strategy,
                cooldown);
    }
}
