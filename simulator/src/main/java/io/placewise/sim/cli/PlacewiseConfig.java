package io.placewise.sim.cli;

import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.VictimPolicy;
import io.placewise.model.HotspotDetector;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import io.placewise.service.config.ConfigException;
import io.placewise.service.config.IniFile;
import io.placewise.sim.policy.PlacewiseSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Placewise's policy settings from {@code placewise.conf}, read as the bridge reads them: the policies the
 * ServiceLoader finds, configured by their sections in {@code [scheduler] filter_order}; {@code [balancer]}'s
 * decision settings; the hotspot rule of {@code [HotspotFilter]}. Stored overrides (a live bridge's PATCHes) come on
 * top when the settings are taken from a bridge.
 */
public final class PlacewiseConfig {
    /** Sections that configure the services, not a policy (the bridge's {@code ConfigLoader.SERVICE_SECTIONS}). */
    static final Set<String> SERVICE_SECTIONS = Set.of("DEFAULT", "auth", "scheduler", "balancer", "nova", "nova_external",
            "libvirt", "migrator", "profiler");

    private PlacewiseConfig() {
    }

    /** @throws ConfigException naming the file, section and key of the first problem */
    public static PlacewiseSettings load(Path file) {
        return fromSections(file.toString(), IniFile.read(file), Map.of());
    }

    /** The defaults of every policy on the class path, as a bridge without a configuration file would run. */
    public static PlacewiseSettings defaults() {
        return fromSections("(defaults)", Map.of(), Map.of());
    }

    static PlacewiseSettings fromSections(String source, Map<String, Map<String, String>> sections,
                                          Map<String, PolicyOverride> overrides) {
        IniFile.Section sched = IniFile.section(source, sections, "scheduler");
        Map<String, Map<String, String>> policies = new LinkedHashMap<>();
        sections.forEach((name, values) -> {
            if (!SERVICE_SECTIONS.contains(name)) {
                policies.put(name, values);
            }
        });
        PolicySet set;
        try {
            set = PolicySet.configure(PolicyCatalog.discover(), policies, sched.list("filter_order"), overrides);
        } catch (io.placewise.scheduler.PolicyConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage() + ": " + e.problems(), e);
        }
        HotspotDetector detector = HotspotDetector.of(set.settings(HotspotDetector.POLICY).map(PolicySettings::params));
        return new PlacewiseSettings(set, balancer(IniFile.section(source, sections, "balancer")), detector,
                sched.integer("sample_window", 30, 1, 10_000));
    }

    /** {@code [balancer]}'s decision keys with the bridge's defaults and ranges. */
    static BalancerSettings balancer(IniFile.Section s) {
        BalancerSettings d = BalancerSettings.DEFAULT;
        String policyText = s.string("victim_policy", d.victimPolicy().wireName());
        VictimPolicy policy = VictimPolicy.fromWire(policyText).orElseThrow(() -> new ConfigException(
                s.where("victim_policy") + ": '" + policyText + "' is not volume or vsr", null));
        return new BalancerSettings(s.number("threshold", d.threshold(), 0, 1), policy,
                s.number("history_tolerance", d.historyTolerance(), 0, 1),
                s.integer("history_size", d.historySize(), 0, 10_000),
                s.integer("balloon_step_mb", (int) d.balloonStepMb(), 0, 1_048_576),
                s.number("network_bound_mbps", d.networkBoundMbps(), 0, 1e6),
                s.integer("max_moves", d.maxMoves(), 1, 10_000),
                s.integer("max_attempts", d.maxAttempts(), 1, 10_000));
    }

}
