package io.placewise.sim.cli;

import io.placewise.balancer.BalancerSettings;
import io.placewise.model.HotspotDetector;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import io.placewise.service.config.ConfigException;
import io.placewise.service.config.IniFile;
import io.placewise.sim.policy.PlacewiseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Placewise's policy settings from {@code placewise.conf}, read as the bridge reads them: the policies the
 * ServiceLoader finds, configured by their sections in {@code [scheduler] filter_order}; {@code [balancer]}'s
 * decision settings; the hotspot rule of {@code [HotspotFilter]}. Stored overrides (a live bridge's PATCHes) come on
 * top when the settings are taken from a bridge.
 */
public final class PlacewiseConfig {
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

    static PlacewiseSettings fromSections(String source, Map<String, Map<String, String>> read,
                                          Map<String, PolicyOverride> overrides) {
        Map<String, Map<String, String>> sections = IniFile.withAliases(source, read, "balancer", BalancerSettings.RULE_KEYS);
        IniFile.Section sched = IniFile.section(source, sections, "scheduler");
        Map<String, Map<String, String>> policies = IniFile.policySections(sections);
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

    /** {@code [balancer]}'s decision keys, read as the bridge reads them. */
    static BalancerSettings balancer(IniFile.Section s) {
        return s.read(BalancerSettings.PARAMETERS, BalancerSettings::of);
    }
}
