package io.placewise.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.balancer.BalancerSettings;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicyConfigException;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.service.config.ConfigException;
import io.placewise.service.config.IniFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** placewise.conf as the bridge reads it: one grammar in every section, errors that say where, deprecated keys. */
class ConfigLoaderTest {
    private static final PolicyCatalog CATALOG = PolicyCatalog.discover();

    private static BridgeConfig load(Map<String, Map<String, String>> sections) {
        return ConfigLoader.fromSections("placewise.conf", sections);
    }

    private static PolicySet policies(BridgeConfig c) {
        return PolicySet.configure(CATALOG, c.policySections(), c.filterOrder(), Map.of());
    }

    @ParameterizedTest
    @CsvSource({"yes, true", "on, true", "1, true", "True, true", "no, false", "off, false", "0, false", "FALSE, false"})
    void aPolicySectionTakesTheSameBooleanWordsAsAServiceSection(String word, boolean meaning) {
        BridgeConfig c = load(Map.of("balancer", Map.of("enabled", word), "HotspotFilter", Map.of("enabled", word),
                "BalanceWeigher", Map.of("enabled", word)));
        assertThat(c.balancer().enabled()).isEqualTo(meaning);
        PolicySet set = policies(c);
        assertThat(set.settings("HotspotFilter").orElseThrow().enabled()).isEqualTo(meaning);
        assertThat(set.settings("BalanceWeigher").orElseThrow().enabled()).isEqualTo(meaning);
    }

    @Test
    void aBadServiceValueNamesFileSectionAndKey() {
        assertThatThrownBy(() -> load(Map.of("balancer", Map.of("interval_s", "often"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("placewise.conf: [balancer] interval_s: 'often' is not an integer");
        assertThatThrownBy(() -> load(Map.of("balancer", Map.of("victim_policy", "random"))))
                .hasMessage("placewise.conf: [balancer] victim_policy: 'random' is not volume or vsr");
        assertThatThrownBy(() -> load(Map.of("balancer", Map.of("threshold", "1.5"))))
                .hasMessage("placewise.conf: [balancer] threshold: 1.5 is outside [0.0, 1.0]");
        assertThatThrownBy(() -> load(Map.of("cluster", Map.of("place_on_stale", "perhaps"))))
                .hasMessageStartingWith("placewise.conf: [cluster] place_on_stale: 'perhaps' is not true or false");
    }

    @Test
    void aBadPolicyValueNamesSectionAndKey() {
        BridgeConfig c = load(Map.of("HotspotFilter", Map.of("enabled", "maybe", "cpu_threshold", "high")));
        assertThatThrownBy(() -> policies(c)).isInstanceOfSatisfying(PolicyConfigException.class, e ->
                assertThat(e.problems()).extracting(PolicyConfigException.Problem::field)
                        .containsExactlyInAnyOrder("[HotspotFilter] enabled", "[HotspotFilter] cpu_threshold"));
    }

    @Test
    void aPolicysOwnValidationNamesItsParameter() {
        BridgeConfig c = load(Map.of("AffinityFilter", Map.of("matrix", "cpu:cpu=7")));
        assertThatThrownBy(() -> policies(c)).isInstanceOfSatisfying(PolicyConfigException.class, e ->
                assertThat(e.problems()).extracting(PolicyConfigException.Problem::field)
                        .containsExactly("[AffinityFilter] matrix"));
    }

    @Test
    void theBalancerJudgesHistoryAndNetworkBenefitWithThePoliciesValues() {
        BridgeConfig c = load(Map.of("HistoryMatchWeigher", Map.of("tolerance", "0.2"),
                "IdcNetworkBenefitWeigher", Map.of("network_bound_mbps", "300")));
        BalancerSettings used = c.balancer().settings().withRulesOf(policies(c));
        assertThat(used.historyTolerance()).isEqualTo(0.2);
        assertThat(used.networkBoundMbps()).isEqualTo(300);
        // A PATCH of the weigher's parameter applies to the balancer too: one rule, one value.
        PolicySet patched = policies(c).withOverride("HistoryMatchWeigher",
                new PolicyOverride(null, null, Map.of("tolerance", "0.01")));
        assertThat(c.balancer().settings().withRulesOf(patched).historyTolerance()).isEqualTo(0.01);
    }

    @Test
    void theBalancersOldKeysStillWorkAsAliasesOfThePolicyParameters() {
        BridgeConfig c = load(Map.of("balancer", Map.of("history_tolerance", "0.15", "network_bound_mbps", "250")));
        assertThat(c.policySections().get("HistoryMatchWeigher")).containsEntry("tolerance", "0.15");
        assertThat(c.policySections().get("IdcNetworkBenefitWeigher")).containsEntry("network_bound_mbps", "250");
        PolicySet set = policies(c);
        assertThat(set.settings("HistoryMatchWeigher").orElseThrow().params().getDouble("tolerance")).isEqualTo(0.15);
        BalancerSettings used = c.balancer().settings().withRulesOf(set);
        assertThat(used.historyTolerance()).isEqualTo(0.15);
        assertThat(used.networkBoundMbps()).isEqualTo(250);
    }

    @Test
    void anOldKeyThatContradictsTheNewOneIsRefused() {
        assertThatThrownBy(() -> load(Map.of("balancer", Map.of("history_tolerance", "0.1"),
                "HistoryMatchWeigher", Map.of("tolerance", "0.05"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[balancer] history_tolerance (0.1) is a deprecated alias of [HistoryMatchWeigher] tolerance");
    }

    @Test
    void theShippedConfigurationLoadsAndNeedsNoDeprecatedKey() throws Exception {
        Path shipped = Path.of("..", "etc", "placewise.conf");
        BridgeConfig c = ConfigLoader.load(shipped);
        policies(c);
        // No warning on a first start: the shipped file sets each rule once, in its policy's section.
        assertThat(IniFile.read(shipped).get("balancer")).doesNotContainKeys("history_tolerance", "network_bound_mbps");
        assertThat(c.balancer().settings().withRulesOf(policies(c)).historyTolerance()).isEqualTo(0.05);
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "[scheduler]\nmax_alternates = many\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessage(f + ": [scheduler] max_alternates: 'many' is not an integer");
    }
}
