package io.placewise.bridge.config;

import io.placewise.service.config.AuthConfig;
import java.util.List;
import java.util.Map;

/**
 * The bridge's typed configuration, read from {@code placewise.conf}.
 *
 * @param policySections each policy's section ({@code enabled}, {@code multiplier}, parameters),
 *                       by section name; sections of the service itself are not in it
 * @param filterOrder    {@code [scheduler] filter_order}: filters to run first, in this order
 * @param maxAlternates  {@code [scheduler] max_alternates}: alternates returned by select
 * @param maxWeighed     {@code [scheduler] max_weighed}: weighed hosts listed by select
 * @param sampleWindow   {@code [scheduler] sample_window}: samples kept per host for the forecast
 * @param balancer       {@code [balancer]}: the balancer's settings
 */
public record BridgeConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                           String databasePassword, int databasePoolSize, AuthConfig auth,
                           List<String> filterOrder, int maxAlternates, int maxWeighed, int sampleWindow,
                           Map<String, Map<String, String>> policySections, BalancerConfig balancer) {

    /** A configuration with the default balancer settings. */
    public BridgeConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                        String databasePassword, int databasePoolSize, AuthConfig auth,
                        List<String> filterOrder, int maxAlternates, int maxWeighed, int sampleWindow,
                        Map<String, Map<String, String>> policySections) {
        this(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth, filterOrder,
                maxAlternates, maxWeighed, sampleWindow, policySections, BalancerConfig.DEFAULT);
    }

    public BridgeConfig withBalancer(BalancerConfig b) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, b);
    }

    /** This configuration listening elsewhere and on another database (tests, tools). */
    public BridgeConfig withEndpoint(String host, int port, String dbUrl) {
        return new BridgeConfig(host, port, dbUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, balancer);
    }
}
