package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.scheduler.PolicyConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 5: one boolean grammar. {@code [HotspotFilter] enabled = yes} used to stop the
 * bridge while {@code [balancer] enabled = yes} worked; now every section takes oslo.config's words.
 */
class ConfigGrammarTest {
    @TempDir
    Path dir;

    @Test
    void policySectionsTakeTheSameBooleanWordsAsServiceSections() throws Exception {
        try (Bridge bridge = new Bridge(dir, Map.of("HotspotFilter", Map.of("enabled", "no"),
                "BalanceWeigher", Map.of("enabled", "On")))) {
            assertThat(bridge.get("/v1/policies/HotspotFilter", Bridge.READER).body().get("enabled").asBoolean()).isFalse();
            assertThat(bridge.get("/v1/policies/BalanceWeigher", Bridge.READER).body().get("enabled").asBoolean()).isTrue();
        }
    }

    @Test
    void aWordThatIsNoBooleanNamesTheSectionAndKey() {
        assertThatThrownBy(() -> new Bridge(dir.resolve("bad"), Map.of("HotspotFilter", Map.of("enabled", "maybe"))))
                .isInstanceOf(PolicyConfigException.class)
                .satisfies(e -> assertThat(((PolicyConfigException) e).problems().get(0).field()).isEqualTo("[HotspotFilter] enabled"))
                .hasMessageContaining("'maybe' is not true or false");
    }
}
