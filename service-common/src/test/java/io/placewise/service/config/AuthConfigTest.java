package io.placewise.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
    @Test
    void eachTokenHasItsRoleAndUnknownOrEmptyTokensNone() {
        AuthConfig auth = new AuthConfig(List.of("a1", "a2"), List.of("s1"), List.of("r1"));
        assertThat(auth.roleOf("a2")).contains(Role.ADMIN);
        assertThat(auth.roleOf("s1")).contains(Role.SERVICE);
        assertThat(auth.roleOf("r1")).contains(Role.READER);
        assertThat(auth.roleOf("A1")).isEmpty();
        assertThat(auth.roleOf("")).isEmpty();
        assertThat(auth.roleOf(null)).isEmpty();
        assertThat(auth.hasAdmin()).isTrue();
        assertThat(new AuthConfig(List.of(), List.of("s1"), List.of()).hasAdmin()).isFalse();
    }

    @Test
    void aTokenListedUnderTwoRolesGetsTheLesser() {
        AuthConfig auth = new AuthConfig(List.of("shared"), List.of("shared"), List.of());
        assertThat(auth.roleOf("shared")).contains(Role.SERVICE);
    }

    @Test
    void neverShowsATokenWhenPrinted() {
        assertThat(new AuthConfig(List.of("secret-admin-token"), List.of(), List.of()).toString())
                .doesNotContain("secret").isEqualTo("AuthConfig[1 tokens]");
    }
}
