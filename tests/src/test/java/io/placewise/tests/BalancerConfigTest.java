package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.balancer.VictimPolicy;
import io.placewise.balancer.execution.ExecutionSettings;
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
        // Issue 11: the safety limits as documented in docs/balancer.md.
        assertThat(b.triggerAfter()).isEqualTo(3);
        assertThat(b.execution().vmCooldown()).isEqualTo(java.time.Duration.ofSeconds(1800));
        assertThat(b.execution().maxParallelPerHost()).isEqualTo(1);
        assertThat(b.execution().maxParallel()).isEqualTo(4);
        assertThat(b.execution().maxMovesPerHour()).isEqualTo(20);
        assertThat(b.execution().unreachableGrace()).isEqualTo(java.time.Duration.ofSeconds(120));
        assertThat(b.execution().strategy()).isEqualTo(ExecutionSettings.StrategyChoice.AUTO);
        assertThat(b.balloonSettleS()).isEqualTo(30);
    }

    @Test
    void theExecutionKeysAreReadAndCheckedByName(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("placewise.conf");
        Files.writeString(conf, "[balancer]\ntrigger_after = 5\nvm_cooldown_s = 60\nmax_parallel_per_host = 2\n"
                + "max_parallel = 8\nmax_moves_per_hour = 0\nagent_unreachable_grace_s = 30\nstrategy = planned\n");
        BalancerConfig b = ConfigLoader.load(conf).balancer();
        assertThat(b.triggerAfter()).isEqualTo(5);
        assertThat(b.execution().vmCooldown().toSeconds()).isEqualTo(60);
        assertThat(b.execution().maxParallelPerHost()).isEqualTo(2);
        assertThat(b.execution().maxParallel()).isEqualTo(8);
        assertThat(b.execution().maxMovesPerHour()).isZero();
        assertThat(b.execution().unreachableGrace().toSeconds()).isEqualTo(30);
        assertThat(b.execution().strategy()).isEqualTo(ExecutionSettings.StrategyChoice.PLANNED);
        for (String bad : new String[] {"strategy = fastest", "trigger_after = 0", "max_parallel = 0", "max_parallel_per_host = -1",
                "max_moves_per_hour = -2", "vm_cooldown_s = x"}) {
            Files.writeString(conf, "[balancer]\n" + bad + "\n");
            String key = bad.substring(0, bad.indexOf(' '));
            assertThatThrownBy(() -> ConfigLoader.load(conf)).as(bad).hasMessageContaining("[balancer] " + key);
        }
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
