package io.placewise.bridge.config;

import io.placewise.service.config.ConfigException;
import io.placewise.service.config.IniFile;
import io.placewise.service.config.IniFile.Section;
import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.execution.ExecutionSettings;
import io.placewise.service.config.ServiceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code placewise.conf} (OpenStack-style INI) into a {@link BridgeConfig}. */
public final class ConfigLoader {
    /** Sections that configure the service, not a policy. */
    public static final Set<String> SERVICE_SECTIONS = IniFile.SERVICE_SECTIONS;

    private ConfigLoader() {
    }

    /**
     * @throws ConfigException naming the file, section and key of the first problem
     */
    public static BridgeConfig load(Path file) {
        return fromSections(file.toString(), IniFile.read(file));
    }

    static BridgeConfig fromSections(String source, Map<String, Map<String, String>> read) {
        Map<String, Map<String, String>> sections = IniFile.withAliases(source, read, "balancer", BalancerSettings.RULE_KEYS);
        Section sched = IniFile.section(source, sections, "scheduler");
        Section novaExt = IniFile.section(source, sections, "nova_external");
        Section nova = IniFile.section(source, sections, "nova");
        Section bal = IniFile.section(source, sections, "balancer");
        Section cluster = IniFile.section(source, sections, "cluster");

        Map<String, Map<String, String>> policies = IniFile.policySections(sections);
        ServiceSettings svc = ServiceSettings.read(source, sections, 8790, "jdbc:h2:file:./var/placewise", 8);
        return new BridgeConfig(svc.bindHost(), svc.bindPort(), svc.databaseUrl(), svc.databaseUser(),
                svc.databasePassword(), svc.databasePoolSize(), svc.auth(),
                sched.list("filter_order"),
                sched.integer("max_alternates", 4, 0, 1000),
                sched.integer("max_weighed", 5, 0, 100_000),
                sched.integer("sample_window", 30, 1, 10_000),
                policies,
                new NovaExternalConfig(novaExt.number("nova_weight_multiplier", 1.0, -1000, 1000),
                        cidrs(novaExt, "allow_unauthenticated_from")),
                novaConfig(nova),
                balancer(bal),
                new ClusterConfig(cluster.integer("stale_after_s", ClusterConfig.DEFAULT.staleAfterS(), 0, 86_400 * 365),
                        cluster.bool("place_on_stale", ClusterConfig.DEFAULT.placeOnStale())),
                svc.http());
    }

    private static NovaConfig novaConfig(Section s) {
        NovaConfig d = NovaConfig.unconfigured();
        String iface = s.string("interface", d.interfaceName());
        if (!Set.of("public", "internal", "admin").contains(iface)) {
            throw new ConfigException(s.where("interface") + ": '" + iface + "' is not one of public, internal, admin", null);
        }
        String microversion = s.string("microversion", d.microversion());
        if (!microversion.matches("2\\.\\d+")) {
            throw new ConfigException(s.where("microversion") + ": '" + microversion + "' is not a compute microversion like 2.60", null);
        }
        NovaConfig c = new NovaConfig(s.string("auth_url", ""), s.string("username", ""), s.string("password", ""),
                s.string("project_name", ""), s.string("user_domain_name", d.userDomainName()),
                s.string("project_domain_name", d.projectDomainName()), s.string("region_name", ""), iface, microversion,
                s.number("poll_interval_s", d.pollIntervalS(), 0.1, 3600),
                s.number("timeout_s", d.timeoutS(), 1, 3600),
                s.number("migration_timeout_s", d.migrationTimeoutS(), 1, 7 * 24 * 3600),
                s.integer("max_retries", d.maxRetries(), 0, 10),
                s.integer("sync_interval_s", d.syncIntervalS(), 0, 86_400),
                transportUrl(s),
                s.string("notification_topic", d.notificationTopic()),
                s.string("notification_exchange", d.notificationExchange()),
                s.string("notification_pool", d.notificationPool()),
                s.bool("notification_durable", d.notificationDurable()));
        if (c.configured() && (c.username().isEmpty() || c.projectName().isEmpty())) {
            throw new ConfigException(s.where("auth_url") + ": username and project_name are needed with auth_url", null);
        }
        return c;
    }

    /** {@code notification_transport_url}, checked at start: a typo fails here, not at the first reconnect. */
    private static String transportUrl(Section s) {
        String url = s.string("notification_transport_url", "");
        if (!url.isBlank()) {
            try {
                io.placewise.bridge.nova.notify.RabbitTransportUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.where("notification_transport_url") + ": " + e.getMessage(), e);
            }
        }
        return url;
    }

    private static BalancerConfig balancer(Section s) {
        BalancerConfig d = BalancerConfig.DEFAULT;
        BalancerSettings settings = s.read(BalancerSettings.PARAMETERS, BalancerSettings::of);
        String template = s.string("migrator_url_template", d.migratorUrlTemplate());
        if (!template.startsWith("http://") && !template.startsWith("https://")) {
            throw new ConfigException(s.where("migrator_url_template") + ": '" + template + "' is not an http(s) URL", null);
        }
        return new BalancerConfig(s.bool("enabled", d.enabled()), s.integer("interval_s", d.intervalS(), 1, 86_400),
                s.bool("auto_execute", d.autoExecute()), settings, template, s.string("migrator_token", ""),
                s.string("destination_uri", d.destinationUri()),
                s.integer("migration_timeout_s", d.migrationTimeoutS(), 1, 86_400),
                s.integer("poll_interval_ms", d.pollIntervalMs(), 10, 600_000),
                executor(s), execution(s),
                s.integer("trigger_after", d.triggerAfter(), 1, 1000),
                s.integer("balloon_settle_s", d.balloonSettleS(), 0, 3600),
                s.bool("switch_off_freed_hosts", d.switchOffFreedHosts()));
    }

    /** The safety limits and reconciliation of plan execution (issue 11). */
    private static ExecutionSettings execution(Section s) {
        ExecutionSettings d = ExecutionSettings.DEFAULT;
        String strategy = s.string("strategy", d.strategy().wireName());
        ExecutionSettings.StrategyChoice choice = ExecutionSettings.StrategyChoice.fromWire(strategy).orElseThrow(() ->
                new ConfigException(s.where("strategy") + ": '" + strategy + "' is not auto or planned", null));
        return new ExecutionSettings(
                s.integer("max_parallel_per_host", d.maxParallelPerHost(), 1, 100),
                s.integer("max_parallel", d.maxParallel(), 1, 10_000),
                s.integer("max_moves_per_hour", d.maxMovesPerHour(), 0, 1_000_000),
                Duration.ofSeconds(s.integer("vm_cooldown_s", (int) d.vmCooldown().toSeconds(), 0, 7 * 86_400)),
                Duration.ofSeconds(s.integer("agent_unreachable_grace_s", (int) d.unreachableGrace().toSeconds(), 0, 86_400)),
                choice,
                Duration.ofSeconds(s.integer("failed_move_cooldown_s", (int) d.failedMoveCooldown().toSeconds(), 0, 7 * 86_400)));
    }

    private static String executor(Section s) {
        String e = s.string("executor", BalancerConfig.MIGRATOR);
        if (!e.equals(BalancerConfig.MIGRATOR) && !e.equals(BalancerConfig.NOVA)) {
            throw new ConfigException(s.where("executor") + ": '" + e + "' is not migrator or nova", null);
        }
        return e;
    }

    /** IP addresses or CIDR blocks, checked now so that a typo fails at start, not at a request. */
    private static List<String> cidrs(Section s, String key) {
        List<String> out = s.list(key);
        for (String c : out) {
            try {
                IpAllowList.parse(List.of(c));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.where(key) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
