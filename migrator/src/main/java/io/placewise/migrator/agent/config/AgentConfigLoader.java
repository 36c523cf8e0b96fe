package io.placewise.migrator.agent.config;

import io.placewise.migrator.MigratorConfig;
import io.placewise.precopy.StrategyAdvisor;
import io.placewise.precopy.ThrottlePlan;
import io.placewise.service.config.AuthConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/** Reads {@code placewise-migrator.conf} (OpenStack-style INI, like the bridge's) into an {@link AgentConfig}. */
public final class AgentConfigLoader {
    private AgentConfigLoader() {
    }

    /** @throws ConfigException naming the file, section and key of the first problem */
    public static AgentConfig load(Path file) {
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
                values.put(key, s.getString(key, "").trim());
            }
            sections.put(name, values);
        }
        return fromSections(file.toString(), sections);
    }

    public static AgentConfig fromSections(String source, Map<String, Map<String, String>> sections) {
        Section dflt = section(source, sections, "DEFAULT");
        Section auth = section(source, sections, "auth");
        Section libvirt = section(source, sections, "libvirt");
        Section mig = section(source, sections, "migrator");
        Section prof = section(source, sections, "profiler");

        MigratorConfig d = MigratorConfig.DEFAULT;
        ThrottlePlan throttle = new ThrottlePlan(
                mig.decimal("throttle_ratio", d.throttle().expectedRatio(), 0.01, 1),
                mig.decimal("throttle_floor_pct", d.throttle().floorPct(), 1, 100), 100);
        MigratorConfig runner = new MigratorConfig(
                Duration.ofMillis(mig.integer("poll_interval_ms", (int) d.pollInterval().toMillis(), 10, 60_000)),
                Duration.ofSeconds(mig.integer("no_progress_timeout_s", (int) d.noProgressTimeout().toSeconds(), 1, 86_400)),
                mig.decimal("completion_timeout_s_per_gib", d.completionTimeoutSPerGib(), 1, 1_000_000),
                mig.bool("escalate_to_postcopy", d.escalateToPostCopy()),
                Duration.ofSeconds(mig.integer("dirty_rate_window_s", (int) d.dirtyRateWindow().toSeconds(), 1, 60)),
                mig.decimal("default_bandwidth_mbps", d.defaultBandwidthMbps(), 1, 1_000_000),
                mig.integer("xbzrle_cache_mb", (int) d.xbzrleCacheMib(), 0, 1_000_000),
                StrategyAdvisor.DEFAULT, throttle);

        String bridgeUrl = prof.string("bridge_url", null);
        String hostName = prof.string("host_name", null);
        if (hostName == null) {
            hostName = localHostName();
        }
        ProfilerConfig profiler = new ProfilerConfig(bridgeUrl, prof.string("bridge_token", ""), hostName,
                Duration.ofSeconds(prof.integer("interval_s", 10, 1, 86_400)), prof.list("nics"),
                prof.decimal("nic_mbps", 1000, 1, 10_000_000), Path.of(prof.string("proc_root", "/proc")));
        if (profiler.pushes() && profiler.bridgeToken().isEmpty()) {
            throw new ConfigException(source + ": [profiler] bridge_token: required when bridge_url is set", null);
        }

        return new AgentConfig(
                dflt.string("bind_host", "127.0.0.1"),
                dflt.integer("bind_port", 8791, 0, 65535),
                dflt.string("database_url", "jdbc:h2:file:./var/placewise-migrator"),
                dflt.string("database_user", ""),
                dflt.string("database_password", ""),
                dflt.integer("database_pool_size", 4, 1, 200),
                new AuthConfig(auth.list("admin_tokens"), auth.list("service_tokens"), auth.list("reader_tokens")),
                libvirt.string("uri", "qemu:///system"),
                Path.of(libvirt.string("cgroup_root", "/sys/fs/cgroup/cpu")),
                runner,
                mig.integer("max_downtime_ms", 300, 1, 3_600_000),
                mig.bool("guest_tolerates_slowing", false),
                profiler);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static Section section(String source, Map<String, Map<String, String>> sections, String name) {
        return new Section(source, name, sections.getOrDefault(name, Map.of()));
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

        double decimal(String key, double dflt, double min, double max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                double x = Double.parseDouble(v);
                if (!(x >= min && x <= max)) {
                    throw new ConfigException(where(key) + ": " + v + " is outside [" + min + ", " + max + "]", null);
                }
                return x;
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v + "' is not a number", e);
            }
        }

        boolean bool(String key, boolean dflt) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
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

        private String where(String key) {
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
