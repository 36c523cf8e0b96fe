package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.balancer.VictimPolicy;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [balancer]} of placewise.conf: the shipped defaults, and a bad value named by section and key. */
class BalancerConfigTest {
    @Test
    void shippedBalancerSection() {
        BalancerConfig b = ConfigLoader.load(ShippedConfigTest.CONF).balancer();
        assertThat(b.enabled()).isFalse();
        assertThat(b.autoExecute()).isFalse();
        assertThat(b.settings().threshold()).isEqualTo(0.1);
        assertThat(b.settings().victimPolicy()).isEqualTo(VictimPolicy.VOLUME);
        assertThat(b.settings().historySize()).isEqualTo(20);
        assertThat(b.migratorUrlTemplate()).isEqualTo("http://{host}:8791");
    }

    @Test
    void badBalancerValueIsNamed(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("placewise.conf");
        Files.writeString(conf, "[balancer]\nvictim_policy = biggest\n");
        assertThatThrownBy(() -> ConfigLoader.load(conf)).hasMessageContaining("[balancer] victim_policy");
        Files.writeString(conf, "[balancer]\nthreshold = 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(conf)).hasMessageContaining("[balancer] threshold");
        Files.writeString(conf, "[balancer]\nvictim_policy = vsr\nmigrator_token = s3cret\n");
        BalancerConfig b = ConfigLoader.load(conf).balancer();
        assertThat(b.settings().victimPolicy()).isEqualTo(VictimPolicy.VSR);
        assertThat(b.toString()).doesNotContain("s3cret");
    }
}
