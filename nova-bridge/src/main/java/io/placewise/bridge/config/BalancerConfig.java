package io.placewise.bridge.config;

import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.execution.ExecutionSettings;
import java.time.Duration;

/**
 * {@code [balancer]} of placewise.conf: the decision settings, the periodic run, how plans reach the
 * migrator agents, and the safety limits of execution.
 *
 * @param enabled              run audits periodically
 * @param intervalS            seconds between periodic audits
 * @param autoExecute          execute the plans of periodic audits (otherwise they are only recorded)
 * @param migratorUrlTemplate  the migrator agent of a host, {@code {host}} replaced by its name
 * @param migratorToken        token sent to the agents ({@code X-Auth-Token}); never logged
 * @param destinationUri       the libvirt URI of a destination, {@code {host}} replaced
 * @param migrationTimeoutS    how long one migration through the agents may take before it is aborted
 * @param pollIntervalMs       how often a running migration's state is asked of its agent
 * @param execution            limits, grace and strategy of plan execution
 * @param triggerAfter         consecutive periodic evaluations a trigger must hold before the periodic
 *                             balancer acts (one-off audits are not delayed)
 * @param balloonSettleS       after a balloon step, its host is judged again on a sample taken at least
 *                             this long after it
 * @param switchOffFreedHosts  a host a consolidate plan freed is switched off once the plan has ended and
 *                             the host is empty (seed 001 §IV); false leaves it on
 */
public record BalancerConfig(boolean enabled, int intervalS, boolean autoExecute, BalancerSettings settings,
                             String migratorUrlTemplate, String migratorToken, String destinationUri,
                             int migrationTimeoutS, int pollIntervalMs, String executor, ExecutionSettings execution,
                             int triggerAfter, int balloonSettleS, boolean switchOffFreedHosts) {
    /** Plans run through Placewise's migrator agents. */
    public static final String MIGRATOR = "migrator";
    /** Plans run through Nova's live-migrate API ({@code [nova]} must be configured). */
    public static final String NOVA = "nova";
    public static final int DEFAULT_TRIGGER_AFTER = 3;
    public static final int DEFAULT_BALLOON_SETTLE_S = 30;

    public static final BalancerConfig DEFAULT = new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT,
            "http://{host}:8791", "", "qemu+tcp://{host}/system", 3600, 1000, MIGRATOR);

    public BalancerConfig {
        execution = execution == null ? ExecutionSettings.DEFAULT : execution;
        if (triggerAfter < 1) {
            throw new IllegalArgumentException("trigger_after must be >= 1");
        }
    }

    /** Freed hosts are switched off. */
    public BalancerConfig(boolean enabled, int intervalS, boolean autoExecute, BalancerSettings settings,
                          String migratorUrlTemplate, String migratorToken, String destinationUri,
                          int migrationTimeoutS, int pollIntervalMs, String executor, ExecutionSettings execution,
                          int triggerAfter, int balloonSettleS) {
        this(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken, destinationUri,
                migrationTimeoutS, pollIntervalMs, executor, execution, triggerAfter, balloonSettleS, true);
    }

    /** With the default execution limits, trigger_after and balloon settling time. */
    public BalancerConfig(boolean enabled, int intervalS, boolean autoExecute, BalancerSettings settings,
                          String migratorUrlTemplate, String migratorToken, String destinationUri,
                          int migrationTimeoutS, int pollIntervalMs, String executor) {
        this(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken, destinationUri,
                migrationTimeoutS, pollIntervalMs, executor, ExecutionSettings.DEFAULT, DEFAULT_TRIGGER_AFTER,
                DEFAULT_BALLOON_SETTLE_S);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(pollIntervalMs);
    }

    public BalancerConfig withMigrator(String urlTemplate, int pollMs) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, urlTemplate, migratorToken, destinationUri,
                migrationTimeoutS, pollMs, executor, execution, triggerAfter, balloonSettleS, switchOffFreedHosts);
    }

    public BalancerConfig withExecution(ExecutionSettings next) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken,
                destinationUri, migrationTimeoutS, pollIntervalMs, executor, next, triggerAfter, balloonSettleS, switchOffFreedHosts);
    }

    /** The periodic balancer: on or off, every {@code interval}, executing its plans or not, after N evaluations. */
    public BalancerConfig withPeriodic(boolean on, int everyS, boolean execute, int after) {
        return new BalancerConfig(on, everyS, execute, settings, migratorUrlTemplate, migratorToken, destinationUri,
                migrationTimeoutS, pollIntervalMs, executor, execution, after, balloonSettleS, switchOffFreedHosts);
    }

    public BalancerConfig withBalloonSettleS(int seconds) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken,
                destinationUri, migrationTimeoutS, pollIntervalMs, executor, execution, triggerAfter, seconds, switchOffFreedHosts);
    }

    public BalancerConfig withExecutor(String name) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken,
                destinationUri, migrationTimeoutS, pollIntervalMs, name, execution, triggerAfter, balloonSettleS, switchOffFreedHosts);
    }

    public BalancerConfig withSwitchOffFreedHosts(boolean on) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, migratorUrlTemplate, migratorToken,
                destinationUri, migrationTimeoutS, pollIntervalMs, executor, execution, triggerAfter, balloonSettleS, on);
    }

    @Override
    public String toString() {
        // The token must never reach a log.
        return "BalancerConfig[enabled=" + enabled + ", intervalS=" + intervalS + ", autoExecute=" + autoExecute
                + ", settings=" + settings + ", executor=" + executor + ", migratorUrlTemplate=" + migratorUrlTemplate
                + ", execution=" + execution + ", triggerAfter=" + triggerAfter + ", switchOffFreedHosts=" + switchOffFreedHosts + "]";
    }
}
