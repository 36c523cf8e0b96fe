package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.bridge.config.BridgeConfig;
import io.placewise.bridge.config.ConfigLoader;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etc/placewise.conf is a contract: it loads, and it configures every policy Placewise ships. */
class ShippedConfigTest {
    static final Path CONF = Path.of(System.getProperty("placewise.home", "..")).resolve("etc/placewise.conf");

    @Test
    void theShippedConfigurationNamesEveryPolicyAndLoadsCleanly() {
        BridgeConfig config = ConfigLoader.load(CONF);
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.bindPort()).isEqualTo(8790);
        assertThat(config.databaseUrl()).isEqualTo("jdbc:h2:file:./var/placewise");

        PolicyCatalog catalog = PolicyCatalog.discover();
        List<String> shipped = new ArrayList<>(catalog.filters().keySet());
        shipped.addAll(catalog.weighers().keySet());
        assertThat(config.policySections().keySet()).containsExactlyInAnyOrderElementsOf(shipped);

        PolicySet set = PolicySet.configure(catalog, config.policySections(), config.filterOrder(), Map.of());
        assertThat(set.all()).allMatch(PolicySettings::enabled);
        assertThat(set.filters().get(0).settings().name()).isEqualTo("ComputeFilter");
        for (Map.Entry<String, Map<String, String>> section : config.policySections().entrySet()) {
            assertThat(section.getValue()).as("[%s] says whether it is enabled", section.getKey()).containsKey("enabled");
        }
    }
}
