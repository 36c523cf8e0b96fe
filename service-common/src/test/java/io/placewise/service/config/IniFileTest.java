package io.placewise.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.plugin.ParamException;
import io.placewise.plugin.ParamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one configuration grammar (issue 14 item 5): every typed value, its default, and errors that say where. */
class IniFileTest {
    private static IniFile.Section section(String key, String value) {
        return IniFile.section("placewise.conf", Map.of("balancer", Map.of(key, value)), "balancer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "yes", "on", "1", "TRUE", "Yes", " On "})
    void trueInEveryWordOsloConfigTakes(String word) {
        assertThat(section("enabled", word).bool("enabled", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "no", "off", "0", "False", "NO"})
    void falseInEveryWordOsloConfigTakes(String word) {
        assertThat(section("enabled", word).bool("enabled", true)).isFalse();
    }

    @Test
    void theSameWordsAsPolicyParameters() {
        for (String word : List.of("yes", "on", "1", "no", "off", "0")) {
            ParamSpec.bool("enabled", false, "").check(word);
            assertThat(section("enabled", word).bool("enabled", false)).isEqualTo(ParamSpec.parseBoolean(word).orElseThrow());
        }
    }

    @Test
    void anEmptyOrMissingValueIsTheDefault() {
        IniFile.Section s = section("interval_s", "");
        assertThat(s.integer("interval_s", 60, 1, 100)).isEqualTo(60);
        assertThat(s.number("threshold", 0.1, 0, 1)).isEqualTo(0.1);
        assertThat(s.bool("enabled", true)).isTrue();
        assertThat(s.string("executor", "migrator")).isEqualTo("migrator");
        assertThat(s.list("nics")).isEmpty();
    }

    @Test
    void aBadValueNamesFileSectionAndKey() {
        assertThatThrownBy(() -> section("enabled", "maybe").bool("enabled", false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("placewise.conf: [balancer] enabled: 'maybe' is not true or false (yes/no, on/off, 1/0)");
        assertThatThrownBy(() -> section("interval_s", "soon").integer("interval_s", 60, 1, 100))
                .hasMessage("placewise.conf: [balancer] interval_s: 'soon' is not an integer");
        assertThatThrownBy(() -> section("interval_s", "0").integer("interval_s", 60, 1, 100))
                .hasMessage("placewise.conf: [balancer] interval_s: 0 is outside [1, 100]");
        assertThatThrownBy(() -> section("threshold", "2").number("threshold", 0.1, 0, 1))
                .hasMessage("placewise.conf: [balancer] threshold: 2 is outside [0.0, 1.0]");
        assertThatThrownBy(() -> section("threshold", "NaN").number("threshold", 0.1, 0, 1))
                .hasMessageStartingWith("placewise.conf: [balancer] threshold: ");
    }

    @Test
    void settingsDeclaredAsParametersAreReadWithTheirKeysNamedInErrors() {
        List<ParamSpec> declared = List.of(ParamSpec.number("threshold", 0.1, 0, 1, ""), ParamSpec.string("victim_policy", "volume", ""));
        IniFile.Section s = IniFile.section("f.conf", Map.of("balancer", Map.of("threshold", "0.3", "interval_s", "5")), "balancer");
        // Keys the declaration does not name are left to other readers, not refused.
        double threshold = s.read(declared, p -> p.getDouble("threshold"));
        assertThat(threshold).isEqualTo(0.3);
        assertThatThrownBy(() -> section("threshold", "x").read(declared, p -> p.getDouble("threshold")))
                .isInstanceOf(ConfigException.class).hasMessage("placewise.conf: [balancer] threshold: 'x' is not a number");
        assertThatThrownBy(() -> section("victim_policy", "random").read(declared, p -> {
            throw new ParamException("victim_policy", "'random' is not volume or vsr");
        })).hasMessage("placewise.conf: [balancer] victim_policy: 'random' is not volume or vsr");
    }

    private static final Map<String, Map.Entry<String, String>> ALIASES =
            Map.of("history_tolerance", Map.entry("HistoryMatchWeigher", "tolerance"));

    @Test
    void aDeprecatedKeySetAloneConfiguresTheKeyThatReplacedIt() {
        Map<String, Map<String, String>> out = IniFile.withAliases("f.conf",
                Map.of("balancer", Map.of("history_tolerance", "0.2")), "balancer", ALIASES);
        assertThat(out.get("HistoryMatchWeigher")).containsEntry("tolerance", "0.2");
    }

    @Test
    void aDeprecatedKeyAgreeingWithItsReplacementChangesNothing() {
        Map<String, Map<String, String>> in = Map.of("balancer", Map.of("history_tolerance", "0.20"),
                "HistoryMatchWeigher", Map.of("tolerance", "0.2", "multiplier", "2"));
        assertThat(IniFile.withAliases("f.conf", in, "balancer", ALIASES).get("HistoryMatchWeigher"))
                .containsEntry("multiplier", "2").containsKey("tolerance");
        assertThat(IniFile.withAliases("f.conf", Map.of("HistoryMatchWeigher", Map.of("tolerance", "0.3")), "balancer",
                ALIASES).get("HistoryMatchWeigher")).containsEntry("tolerance", "0.3");
    }

    @Test
    void aDeprecatedKeyDisagreeingWithItsReplacementIsRefusedNamingBoth() {
        Map<String, Map<String, String>> in = Map.of("balancer", Map.of("history_tolerance", "0.1"),
                "HistoryMatchWeigher", Map.of("tolerance", "0.05"));
        assertThatThrownBy(() -> IniFile.withAliases("f.conf", in, "balancer", ALIASES))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("f.conf: [balancer] history_tolerance (0.1) is a deprecated alias of "
                        + "[HistoryMatchWeigher] tolerance (0.05)");
    }

    @Test
    void readsSectionsAndTrimmedValuesFromAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("placewise.conf");
        Files.writeString(f, "[DEFAULT]\nbind_port = 8790 \n\n[HotspotFilter]\n; a comment\nenabled = yes\ncpu_threshold = 0.9\n");
        Map<String, Map<String, String>> sections = IniFile.read(f);
        assertThat(sections.get("DEFAULT")).containsEntry("bind_port", "8790");
        assertThat(sections.get("HotspotFilter")).containsExactly(Map.entry("enabled", "yes"), Map.entry("cpu_threshold", "0.9"));
        assertThat(IniFile.section(f.toString(), sections, "HotspotFilter").bool("enabled", false)).isTrue();
    }

    @Test
    void anUnreadableFileNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.conf");
        assertThatThrownBy(() -> IniFile.read(missing)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read");
    }
}
