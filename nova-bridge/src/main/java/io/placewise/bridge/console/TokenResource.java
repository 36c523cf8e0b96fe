package io.placewise.bridge.console;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.service.config.AuthConfig;
import io.placewise.service.config.Role;
import io.placewise.service.http.ApiProblem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code GET /v1/auth/token} (role: any; like Keystone's token validation): the role of the token sent,
 * so the dashboard and the CLI can show admins' controls only to admins. The auth filter has already
 * refused unknown tokens.
 */
@Path("/v1/auth/token")
@Produces(MediaType.APPLICATION_JSON)
public final class TokenResource {
    private final AuthConfig auth;

    public TokenResource(AuthConfig auth) {
        this.auth = auth;
    }

    /** Role: reader (GET). */
    @GET
    @RolesAllowed(Roles.READER)
    public Map<String, String> role(@HeaderParam("X-Auth-Token") String token, @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer) {
        String t = token != null && !token.isBlank() ? token.trim()
                : bearer != null && bearer.regionMatches(true, 0, "Bearer ", 0, 7) ? bearer.substring(7).trim() : null;
        Role role = auth.roleOf(t).orElseThrow(() -> new ApiProblem(401, "Unauthorized",
                "send a valid token in X-Auth-Token or Authorization: Bearer", null));
        return Map.of("role", role.name().toLowerCase(java.util.Locale.ROOT));
    }
}
