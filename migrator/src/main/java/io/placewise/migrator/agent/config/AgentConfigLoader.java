package io.placewise.migrator.agent.config;

import io.placewise.service.config.ConfigException;
import io.placewise.service.config.IniFile;
import io.placewise.service.config.IniFile.Section;
import io.placewise.migrator.MigratorConfig;
import io.placewise.precopy.StrategyAdvisor;
import io.placewise.precopy.ThrottlePlan;
import io.placewise.service.config.ServiceSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Reads {@code placewise-migrator.conf} (OpenStack-style INI, like the bridge's) into an {@link AgentConfig}. */
public final class AgentConfigLoader {
    private AgentConfigLoader() {
    }

    /** @throws ConfigException naming the file, section and key of the first problem */
    public static AgentConfig load(Path file) {
        return fromSections(file.toString(), IniFile.read(file));
    }

    public static AgentConfig fromSections(String source, Map<String, Map<String, String>> sections) {
        Section libvirt = IniFile.section(source, sections, "libvirt");
        Section mig = IniFile.section(source, sections, "migrator");
        Section prof = IniFile.section(source, sections, "profiler");

        MigratorConfig d = MigratorConfig.DEFAULT;
        ThrottlePlan throttle = new ThrottlePlan(
                mig.number("throttle_ratio", d.throttle().expectedRatio(), 0.01, 1),
                mig.number("throttle_floor_pct", d.throttle().floorPct(), 1, 100), 100);
        MigratorConfig runner = new MigratorConfig(
                Duration.ofMillis(mig.integer("poll_interval_ms", (int) d.pollInterval().toMillis(), 10, 60_000)),
                Duration.ofSeconds(mig.integer("no_progress_timeout_s", (int) d.noProgressTimeout().toSeconds(), 1, 86_400)),
                mig.number("completion_timeout_s_per_gib", d.completionTimeoutSPerGib(), 1, 1_000_000),
                mig.bool("escalate_to_postcopy", d.escalateToPostCopy()),
                Duration.ofSeconds(mig.integer("dirty_rate_window_s", (int) d.dirtyRateWindow().toSeconds(), 1, 60)),
                mig.number("default_bandwidth_mbps", d.defaultBandwidthMbps(), 1, 1_000_000),
                mig.integer("xbzrle_cache_mb", (int) d.xbzrleCacheMib(), 0, 1_000_000),
                StrategyAdvisor.DEFAULT, throttle, mig.bool("undefine_source", d.undefineSource()));

        String bridgeUrl = prof.string("bridge_url", null);
        String cpuCgroup = blankToNull(prof.string("cpu_cgroup", null));
        String hostName = prof.string("host_name", null);
        if (hostName == null) {
            hostName = localHostName();
        }
        ProfilerConfig profiler = new ProfilerConfig(bridgeUrl, prof.string("bridge_token", ""), hostName,
                Duration.ofSeconds(prof.integer("interval_s", 10, 1, 86_400)), prof.list("nics"),
                prof.number("nic_mbps", 1000, 1, 10_000_000), Path.of(prof.string("proc_root", "/proc")),
                cpuCgroup == null ? null : Path.of(cpuCgroup),
                prof.integer("cpus", 0, 0, 100_000),
                prof.string("traffic", ProfilerConfig.CONNTRACK));
        if (!profiler.traffic().equals(ProfilerConfig.CONNTRACK) && !profiler.traffic().equals(ProfilerConfig.OFF)) {
            throw new ConfigException(source + ": [profiler] traffic: '" + profiler.traffic() + "' is not conntrack or off", null);
        }
        if (profiler.pushes() && profiler.bridgeToken().isEmpty()) {
            throw new ConfigException(source + ": [profiler] bridge_token: required when bridge_url is set", null);
        }

        ServiceSettings svc = ServiceSettings.read(source, sections, 8791, "jdbc:h2:file:./var/placewise-migrator", 4);
        return new AgentConfig(svc.bindHost(), svc.bindPort(), svc.databaseUrl(), svc.databaseUser(),
                svc.databasePassword(), svc.databasePoolSize(), svc.auth(),
                libvirt.string("uri", "qemu:///system"),
                Path.of(libvirt.string("cgroup_root", "/sys/fs/cgroup/cpu")),
                runner,
                mig.integer("max_downtime_ms", 300, 1, 3_600_000),
                mig.bool("guest_tolerates_slowing", false),
                orphanedJobs(source, mig),
                profiler,
                svc.http());
    }

    private static OrphanedJobs orphanedJobs(String source, Section mig) {
        String v = mig.string("orphaned_jobs", "adopt").trim();
        try {
            return OrphanedJobs.fromConfig(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(mig.where("orphaned_jobs") + ": '" + v + "' is not adopt or abort", null);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
