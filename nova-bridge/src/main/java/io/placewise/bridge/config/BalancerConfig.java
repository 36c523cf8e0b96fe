package io.placewise.bridge.config;

import io.placewise.balancer.BalancerSettings;

/**
 * {@code [balancer]} of placewise.conf: the decision settings, the periodic run, and how plans reach the
 * migrator agents.
 *
 * @param enabled              run audits periodically
 * @param intervalS            seconds between periodic audits
 * @param autoExecute          execute the plans of periodic audits (otherwise they are only recorded)
 * @param migratorUrlTemplate  the migrator agent of a host, {@code {host}} replaced by its name
 * @param migratorToken        token sent to the agents ({@code X-Auth-Token}); never logged
 * @param destinationUri       the libvirt URI of a destination, {@code {host}} replaced
 * @param migrationTimeoutS    how long one migration may take before it counts as failed
 * @param pollIntervalMs       how often a running migration's state is asked
 */
public record BalancerConfig(boolean enabled, int intervalS, boolean autoExecute, BalancerSettings settings,
                             String migratorUrlTemplate, String migratorToken, String destinationUri,
                             int migrationTimeoutS, int pollIntervalMs, String executor) {
    /** Plans run through Placewise's migrator agents. */
    public static final String MIGRATOR = "migrator";
    /** Plans run through Nova's live-migrate API ({@code [nova]} must be configured). */
    public static final String NOVA = "nova";

    public static final BalancerConfig DEFAULT = new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT,
            "http://{host}:8791", "", "qemu+tcp://{host}/system", 3600, 1000, MIGRATOR);

    public BalancerConfig withMigrator(String urlTemplate, int pollMs) {
        return new BalancerConfig(enabled, intervalS, autoExecute, settings, urlTemplate, migratorToken, destinationUri,
                migrationTimeoutS, pollMs, executor);
    }

    @Override
    public String toString() {
        // The token must never reach a log.
        return "BalancerConfig[enabled=" + enabled + ", intervalS=" + intervalS + ", autoExecute=" + autoExecute
                + ", settings=" + settings + ", executor=" + executor + ", migratorUrlTemplate=" + migratorUrlTemplate + "]";
    }
}
