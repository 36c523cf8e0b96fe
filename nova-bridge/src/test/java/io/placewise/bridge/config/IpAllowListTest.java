package io.placewise.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which peers {@code [nova_external] allow_unauthenticated_from} trusts. */
class IpAllowListTest {
    @Test
    void addressesAndBlocksOfBothFamilies() {
        IpAllowList l = IpAllowList.parse(List.of("127.0.0.1", "10.20.0.0/14", "fd00::/8", "::1"));
        assertThat(l.allows("127.0.0.1")).isTrue();
        assertThat(l.allows("127.0.0.2")).isFalse();
        assertThat(l.allows("10.23.255.1")).isTrue();
        assertThat(l.allows("10.24.0.1")).isFalse();
        assertThat(l.allows("fd12:3456::1")).isTrue();
        assertThat(l.allows("fe80::1")).isFalse();
        assertThat(l.allows("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(l.allows("[::1]")).isTrue();
        assertThat(l.allows("::ffff:127.0.0.1")).as("IPv4-mapped").isTrue();
    }

    @Test
    void namesAndGarbageAreNeverTrusted() {
        IpAllowList l = IpAllowList.parse(List.of("0.0.0.0/0"));
        assertThat(l.allows("localhost")).isFalse();
        assertThat(l.allows(null)).isFalse();
        assertThat(IpAllowList.parse(List.of()).allows("127.0.0.1")).isFalse();
        assertThatThrownBy(() -> IpAllowList.parse(List.of("localhost"))).hasMessageContaining("host names are not allowed");
        assertThatThrownBy(() -> IpAllowList.parse(List.of("::1/129"))).hasMessageContaining("prefix must be 0..128");
    }
}
