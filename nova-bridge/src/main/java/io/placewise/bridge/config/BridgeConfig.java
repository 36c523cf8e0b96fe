package io.placewise.bridge.config;

import io.placewise.service.config.AuthConfig;
import io.placewise.service.http.HttpLimits;
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
 * @param novaExternal   {@code [nova_external]}: the SAP-fork hook {@code /scheduler/nova/external}
 * @param nova           {@code [nova]}: the Nova API client (Keystone credentials, microversion)
 * @param balancer       {@code [balancer]}: the balancer's settings
 * @param cluster        {@code [cluster]}: when hosts count as stale
 * @param http           {@code [http]}: request size limits, body timeout, worker threads
 */
public record BridgeConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                           String databasePassword, int databasePoolSize, AuthConfig auth,
                           List<String> filterOrder, int maxAlternates, int maxWeighed, int sampleWindow,
                           Map<String, Map<String, String>> policySections, NovaExternalConfig novaExternal,
                           NovaConfig nova, BalancerConfig balancer, ClusterConfig cluster, HttpLimits http) {

    public BridgeConfig {
        novaExternal = novaExternal == null ? NovaExternalConfig.defaults() : novaExternal;
        nova = nova == null ? NovaConfig.unconfigured() : nova;
        balancer = balancer == null ? BalancerConfig.DEFAULT : balancer;
        cluster = cluster == null ? ClusterConfig.DEFAULT : cluster;
        http = http == null ? HttpLimits.DEFAULT : http;
    }

    /** Without {@code [cluster]} settings and with the default {@code [http]} limits. */
    public BridgeConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                        String databasePassword, int databasePoolSize, AuthConfig auth,
                        List<String> filterOrder, int maxAlternates, int maxWeighed, int sampleWindow,
                        Map<String, Map<String, String>> policySections, NovaExternalConfig novaExternal,
                        NovaConfig nova, BalancerConfig balancer) {
        this(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth, filterOrder,
                maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, nova, balancer, null, null);
    }

    /** This configuration with other {@code [http]} limits (tests, tools). */
    public BridgeConfig withHttp(HttpLimits next) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, nova, balancer, cluster, next);
    }

    /** Without {@code [nova_external]}, {@code [nova]} and {@code [balancer]} settings (their defaults apply). */
    public BridgeConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                        String databasePassword, int databasePoolSize, AuthConfig auth,
                        List<String> filterOrder, int maxAlternates, int maxWeighed, int sampleWindow,
                        Map<String, Map<String, String>> policySections) {
        this(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth, filterOrder,
                maxAlternates, maxWeighed, sampleWindow, policySections, null, null, null, null, null);
    }

    /** This configuration with other {@code [nova]} settings (tests, tools). */
    public BridgeConfig withNova(NovaConfig next) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, next, balancer, cluster, http);
    }

    /** This configuration with other {@code [nova_external]} settings (tests, tools). */
    public BridgeConfig withNovaExternal(NovaExternalConfig next) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, next, nova, balancer, cluster, http);
    }

    /** This configuration with other {@code [balancer]} settings (tests, tools). */
    public BridgeConfig withBalancer(BalancerConfig next) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, nova, next, cluster, http);
    }

    /** This configuration listening elsewhere and on another database (tests, tools). */
    public BridgeConfig withEndpoint(String host, int port, String dbUrl) {
        return new BridgeConfig(host, port, dbUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, nova, balancer, cluster, http);
    }

    /** This configuration with other {@code [cluster]} settings (tests, tools). */
    public BridgeConfig withCluster(ClusterConfig next) {
        return new BridgeConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                filterOrder, maxAlternates, maxWeighed, sampleWindow, policySections, novaExternal, nova, balancer, next, http);
    }
}
