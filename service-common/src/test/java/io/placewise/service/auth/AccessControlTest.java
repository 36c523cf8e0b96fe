package io.placewise.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.service.config.AuthConfig;
import io.placewise.service.http.RestService;
import io.placewise.service.testing.RawHttp;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.function.Predicate;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The role scheme every resource method follows: declared per method, nested, admin-only by default. */
class AccessControlTest {
    static final AuthConfig TOKENS = new AuthConfig(List.of("a"), List.of("s"), List.of("r"));

    @Path("/v1/things")
    public static final class Things {
        @GET
        @RolesAllowed(Roles.READER)
        public String read() {
            return "read";
        }

        /** No role declared: admin only. */
        @POST
        public String write() {
            return "written";
        }

        @POST
        @Path("hook")
        @RolesAllowed(Roles.SERVICE)
        @TrustedPeersMayCall
        public String hook() {
            return "hooked";
        }

        @POST
        @Path("service")
        @RolesAllowed(Roles.SERVICE)
        public String service() {
            return "served";
        }

        @GET
        @Path("open")
        @PermitAll
        public String open() {
            return "open";
        }
    }

    @Path("/v1/lazy")
    @RolesAllowed(Roles.READER)
    public static final class ClassLevelRole {
        @POST
        public String write() {
            return "written";
        }
    }

    static HttpServer serve(Predicate<String> trusted, Object resource) throws Exception {
        ResourceConfig rc = RestService.baseConfig(RestService.meterRegistry())
                .register(new AccessControl(TOKENS, trusted)).register(resource);
        return RestService.listen("127.0.0.1", 0, rc);
    }

    static int port(HttpServer s) {
        return s.getListeners().iterator().next().getPort();
    }

    @ParameterizedTest(name = "{0} {1} with token {2} -> {3}")
    @CsvSource(nullValues = "none", value = {
            "GET,  /v1/things,         none, 401", "GET,  /v1/things,         r, 200", "GET, /v1/things, bogus, 401",
            "POST, /v1/things,         none, 401", "POST, /v1/things,         r, 403",
            "POST, /v1/things,         s,    403", "POST, /v1/things,         a, 200",
            "POST, /v1/things/service, r,    403", "POST, /v1/things/service, s, 200", "POST, /v1/things/service, a, 200",
            "GET,  /v1/things/open,    none, 200", "GET,  /v1/things/open,    bogus, 200",
            "POST, /v1/things/hook,    none, 200", "POST, /v1/things/hook,    bogus, 401",
            "POST, /v1/things/service, none, 401"})
    void rolesNestAndAMethodWithoutARoleIsAdminOnly(String method, String path, String token, int expected) throws Exception {
        HttpServer s = serve("127.0.0.1"::equals, new Things());
        try {
            RawHttp.Reply r = RawHttp.send(port(s), method, path, token, method.equals("POST") ? "{}" : null);
            assertThat(r.status()).as(r.toString()).isEqualTo(expected);
            if (expected == 403) {
                assertThat(r.isProblem()).isTrue();
                assertThat(r.json().get("detail").asText()).contains(path.endsWith("service") ? "service role" : "admin role");
            }
        } finally {
            s.shutdownNow();
        }
    }

    @Test
    void aTokenlessCallFromAnUntrustedPeerIsRefused() throws Exception {
        HttpServer s = serve(peer -> false, new Things());
        try {
            assertThat(RawHttp.send(port(s), "POST", "/v1/things/hook", null, "{}").status()).isEqualTo(401);
        } finally {
            s.shutdownNow();
        }
    }

    @Test
    void aRoleOnTheClassStopsTheServiceAtStart() {
        assertThatThrownBy(() -> serve(peer -> false, new ClassLevelRole()).shutdownNow())
                .hasStackTraceContaining("declare @RolesAllowed / @PermitAll on each resource method");
    }
}
