package io.placewise.migrator;

import io.placewise.precopy.StrategyAdvisor;
import io.placewise.precopy.ThrottlePlan;
import java.time.Duration;

/**
 * The migrator's knobs. A migration is aborted (or escalated to post-copy when
 * {@code escalateToPostCopy}) when its remaining memory has not reached a new low for
 * {@code noProgressTimeout}, or when it has run longer than {@code completionTimeoutSPerGib} × its
 * memory in GiB (Nova's {@code live_migration_completion_timeout} works the same way).
 * {@code defaultBandwidthMbps} is B for the model when the order names none. With
 * {@code undefineSource} the inactive definition a completed migration leaves on the source is
 * removed once its statistics have been read.
 */
public record MigratorConfig(Duration pollInterval, Duration noProgressTimeout, double completionTimeoutSPerGib,
                             boolean escalateToPostCopy, Duration dirtyRateWindow, double defaultBandwidthMbps,
                             long xbzrleCacheMib, StrategyAdvisor advisor, ThrottlePlan throttle,
                             boolean undefineSource) {
    public static final MigratorConfig DEFAULT = new MigratorConfig(Duration.ofMillis(500), Duration.ofSeconds(60),
            800, false, Duration.ofSeconds(2), 1000, 0, StrategyAdvisor.DEFAULT, ThrottlePlan.DEFAULT, true);

    public MigratorConfig {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be > 0");
        }
        if (!(completionTimeoutSPerGib > 0)) {
            throw new IllegalArgumentException("completion_timeout_s_per_gib must be > 0");
        }
        if (!(defaultBandwidthMbps > 0)) {
            throw new IllegalArgumentException("default bandwidth must be > 0");
        }
    }

    public MigratorConfig withEscalation(boolean escalate) {
        return new MigratorConfig(pollInterval, noProgressTimeout, completionTimeoutSPerGib, escalate,
                dirtyRateWindow, defaultBandwidthMbps, xbzrleCacheMib, advisor, throttle, undefineSource);
    }

    public MigratorConfig withTimeouts(Duration noProgress, double sPerGib) {
        return new MigratorConfig(pollInterval, noProgress, sPerGib, escalateToPostCopy, dirtyRateWindow,
                defaultBandwidthMbps, xbzrleCacheMib, advisor, throttle, undefineSource);
    }

    public MigratorConfig withThrottle(ThrottlePlan plan) {
        return new MigratorConfig(pollInterval, noProgressTimeout, completionTimeoutSPerGib, escalateToPostCopy,
                dirtyRateWindow, defaultBandwidthMbps, xbzrleCacheMib, advisor, plan, undefineSource);
    }

    public MigratorConfig withUndefineSource(boolean undefine) {
        return new MigratorConfig(pollInterval, noProgressTimeout, completionTimeoutSPerGib, escalateToPostCopy,
                dirtyRateWindow, defaultBandwidthMbps, xbzrleCacheMib, advisor, throttle, undefine);
    }
}
