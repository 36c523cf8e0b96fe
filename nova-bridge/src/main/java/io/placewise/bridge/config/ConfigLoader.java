package io.placewise.bridge.config;

import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.VictimPolicy;
import io.placewise.service.config.AuthConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/** Reads {@code placewise.conf} (OpenStack-style INI) into a {@link BridgeConfig}. */
public final class ConfigLoader {
    /** Sections that configure the service, not a policy. */
    public static final Set<String> SERVICE_SECTIONS = Set.of("DEFAULT", "auth", "scheduler", "balancer", "nova", "nova_external", "libvirt", "migrator");

    private ConfigLoader() {
    }

    /**
     * @throws ConfigException naming the file, section and key of the first problem
     */
    public static BridgeConfig load(Path file) {
        INIConfiguration ini = new INIConfiguration();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ini.read(r);
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (String name : ini.getSections()) {
            if (name == null) {
                continue;
            }
            SubnodeConfiguration s = ini.getSection(name);
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<String> it = s.getKeys(); it.hasNext(); ) {
                String key = it.next();
                // Keys may not contain dots: commons-configuration would read them as a hierarchy.
                values.put(key, s.getString(key, "").trim());
            }
            sections.put(name, values);
        }
        return fromSections(file.toString(), sections);
    }

    static BridgeConfig fromSections(String source, Map<String, Map<String, String>> sections) {
        Section dflt = new Section(source, "DEFAULT", sections.getOrDefault("DEFAULT", Map.of()));
        Section auth = new Section(source, "auth", sections.getOrDefault("auth", Map.of()));
        Section sched = new Section(source, "scheduler", sections.getOrDefault("scheduler", Map.of()));
        Section novaExt = new Section(source, "nova_external", sections.getOrDefault("nova_external", Map.of()));
        Section nova = new Section(source, "nova", sections.getOrDefault("nova", Map.of()));
        Section bal = new Section(source, "balancer", sections.getOrDefault("balancer", Map.of()));

        Map<String, Map<String, String>> policies = new LinkedHashMap<>();
        sections.forEach((name, values) -> {
            if (!SERVICE_SECTIONS.contains(name)) {
                policies.put(name, values);
            }
        });
        return new BridgeConfig(
                dflt.string("bind_host", "127.0.0.1"),
                dflt.integer("bind_port", 8790, 0, 65535),
                dflt.string("database_url", "jdbc:h2:file:./var/placewise"),
                dflt.string("database_user", ""),
                dflt.string("database_password", ""),
                dflt.integer("database_pool_size", 8, 1, 200),
                new AuthConfig(auth.list("admin_tokens"), auth.list("service_tokens"), auth.list("reader_tokens")),
                sched.list("filter_order"),
                sched.integer("max_alternates", 4, 0, 1000),
                sched.integer("max_weighed", 5, 0, 100_000),
                sched.integer("sample_window", 30, 1, 10_000),
                policies,
                new NovaExternalConfig(novaExt.number("nova_weight_multiplier", 1.0, -1000, 1000),
                        novaExt.cidrs("allow_unauthenticated_from")),
                novaConfig(nova),
                balancer(bal));
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
                s.integer("max_retries", d.maxRetries(), 0, 10));
        if (c.configured() && (c.username().isEmpty() || c.projectName().isEmpty())) {
            throw new ConfigException(s.where("auth_url") + ": username and project_name are needed with auth_url", null);
        }
        return c;
    }

    private static BalancerConfig balancer(Section s) {
        BalancerConfig d = BalancerConfig.DEFAULT;
        BalancerSettings ds = d.settings();
        String policyText = s.string("victim_policy", ds.victimPolicy().wireName());
        VictimPolicy policy = VictimPolicy.fromWire(policyText).orElseThrow(() -> new ConfigException(
                s.where("victim_policy") + ": '" + policyText + "' is not volume or vsr", null));
        BalancerSettings settings = new BalancerSettings(
                s.number("threshold", ds.threshold(), 0, 1), policy,
                s.number("history_tolerance", ds.historyTolerance(), 0, 1),
                s.integer("history_size", ds.historySize(), 0, 10_000),
                s.integer("balloon_step_mb", (int) ds.balloonStepMb(), 0, 1_048_576),
                s.number("network_bound_mbps", ds.networkBoundMbps(), 0, 1e6),
                s.integer("max_moves", ds.maxMoves(), 1, 10_000),
                s.integer("max_attempts", ds.maxAttempts(), 1, 10_000));
        String template = s.string("migrator_url_template", d.migratorUrlTemplate());
        if (!template.startsWith("http://") && !template.startsWith("https://")) {
            throw new ConfigException(s.where("migrator_url_template") + ": '" + template + "' is not an http(s) URL", null);
        }
        return new BalancerConfig(s.bool("enabled", d.enabled()), s.integer("interval_s", d.intervalS(), 1, 86_400),
                s.bool("auto_execute", d.autoExecute()), settings, template, s.string("migrator_token", ""),
                s.string("destination_uri", d.destinationUri()),
                s.integer("migration_timeout_s", d.migrationTimeoutS(), 1, 86_400),
                s.integer("poll_interval_ms", d.pollIntervalMs(), 10, 600_000),
                executor(s));
    }

    private static String executor(Section s) {
        String e = s.string("executor", BalancerConfig.MIGRATOR);
        if (!e.equals(BalancerConfig.MIGRATOR) && !e.equals(BalancerConfig.NOVA)) {
            throw new ConfigException(s.where("executor") + ": '" + e + "' is not migrator or nova", null);
        }
        return e;
    }

    private record Section(String source, String name, Map<String, String> values) {
        String string(String key, String dflt) {
            String v = values.get(key);
            return v == null || v.isEmpty() ? dflt : v;
        }

        int integer(String key, int dflt, int min, int max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    throw new ConfigException(where(key) + ": " + i + " is outside [" + min + ", " + max + "]", null);
                }
                return i;
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v + "' is not an integer", e);
            }
        }

        double number(String key, double dflt, double min, double max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    throw new ConfigException(where(key) + ": " + v + " is outside [" + min + ", " + max + "]", null);
                }
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v + "' is not a number", e);
            }
        }

        /** IP addresses or CIDR blocks, checked now so that a typo fails at start, not at a request. */
        List<String> cidrs(String key) {
            List<String> out = list(key);
            for (String c : out) {
                try {
                    IpAllowList.parse(List.of(c));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where(key) + ": " + e.getMessage(), e);
                }
            }
            return out;
        }

        boolean bool(String key, boolean dflt) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(where(key) + ": '" + v + "' is not true or false", null);
            };
        }

        List<String> list(String key) {
            String v = values.get(key);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            return out;
        }

        String where(String key) {
            return source + ": [" + name + "] " + key.toLowerCase(Locale.ROOT);
        }
    }

    /** A configuration that cannot be used; the message says where. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
