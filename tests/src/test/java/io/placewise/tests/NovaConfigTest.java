package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.bridge.config.BridgeConfig;
import io.placewise.bridge.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code [nova_external]} and {@code [nova]} sections: defaults, parsing, and clear refusals. */
class NovaConfigTest {
    @TempDir
    Path dir;

    BridgeConfig load(String text) throws Exception {
        Path f = dir.resolve("placewise.conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f);
    }

    @Test
    void theShippedConfigNeedsATokenAndLeavesNovaUnconfigured() {
        BridgeConfig c = ConfigLoader.load(ShippedConfigTest.CONF);
        assertThat(c.novaExternal().novaWeightMultiplier()).isEqualTo(1.0);
        assertThat(c.novaExternal().allowUnauthenticatedFrom()).isEmpty();
        assertThat(c.nova().configured()).isFalse();
        assertThat(c.nova().microversion()).isEqualTo("2.60");
        assertThat(c.nova().interfaceName()).isEqualTo("public");
    }

    @Test
    void aFullNovaSectionIsReadAndThePasswordNeverPrinted() throws Exception {
        BridgeConfig c = load("""
                [nova_external]
                nova_weight_multiplier = 2.5
                allow_unauthenticated_from = 127.0.0.1, 10.1.0.0/16, ::1
                [nova]
                auth_url = http://keystone:5000/v3
                username = placewise
                password = s3cret-Pa55
                project_name = service
                region_name = RegionTwo
                interface = internal
                microversion = 2.79
                poll_interval_s = 0.5
                """);
        assertThat(c.novaExternal().novaWeightMultiplier()).isEqualTo(2.5);
        assertThat(c.novaExternal().allowUnauthenticatedFrom()).containsExactly("127.0.0.1", "10.1.0.0/16", "::1");
        assertThat(c.nova().configured()).isTrue();
        assertThat(c.nova().regionName()).isEqualTo("RegionTwo");
        assertThat(c.nova().interfaceName()).isEqualTo("internal");
        assertThat(c.nova().microversion()).isEqualTo("2.79");
        assertThat(c.nova().pollIntervalS()).isEqualTo(0.5);
        assertThat(c.nova().userDomainName()).isEqualTo("Default");
        assertThat(c.nova().toString()).doesNotContain("s3cret");
        assertThat(c.policySections()).doesNotContainKeys("nova", "nova_external");
    }

    @Test
    void badValuesNameTheirSectionAndKey() {
        assertThatThrownBy(() -> load("[nova_external]\nallow_unauthenticated_from = nova-scheduler.example\n"))
                .hasMessageContaining("[nova_external] allow_unauthenticated_from")
                .hasMessageContaining("host names are not allowed");
        assertThatThrownBy(() -> load("[nova_external]\nallow_unauthenticated_from = 10.0.0.0/33\n"))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> load("[nova]\nmicroversion = latest\n"))
                .hasMessageContaining("[nova] microversion");
        assertThatThrownBy(() -> load("[nova]\ninterface = private\n"))
                .hasMessageContaining("[nova] interface");
        assertThatThrownBy(() -> load("[nova]\nauth_url = http://k:5000/v3\n"))
                .hasMessageContaining("username and project_name");
    }
}
