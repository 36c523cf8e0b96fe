package io.placewise.bridge.http;

import io.placewise.bridge.config.AuthConfig;
import io.placewise.bridge.config.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Token auth for {@code /v1} and the Nova hook (API.md "Auth"): GET needs any role; the scheduling
 * hooks, profiler samples and the pre-copy model need {@code service}; everything else {@code admin}. Runs before
 * routing, so an unknown path without a token is a 401, not a hint about what exists.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private static final Pattern SERVICE_CALLS = Pattern.compile(
            "v1/(filter|weigh|select|model/precopy)/?|v1/hosts/[^/]+/samples/?|scheduler/nova/external/?");

    private final AuthConfig auth;

    public AuthFilter(AuthConfig auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!(path.equals("v1") || path.startsWith("v1/") || path.startsWith("scheduler/"))) {
            return;
        }
        Optional<Role> role = auth.roleOf(token(request));
        if (role.isEmpty()) {
            request.abortWith(Problems.response(401, "Unauthorized",
                    "send a valid token in X-Auth-Token or Authorization: Bearer"));
            return;
        }
        Role needed = required(request.getMethod(), path);
        if (!role.get().covers(needed)) {
            request.abortWith(Problems.response(403, "Forbidden",
                    "this call needs the " + needed.name().toLowerCase() + " role"));
        }
    }

    static Role required(String method, String path) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return Role.READER;
        }
        if (method.equals("POST") && SERVICE_CALLS.matcher(path).matches()) {
            return Role.SERVICE;
        }
        return Role.ADMIN;
    }

    private static String token(ContainerRequestContext request) {
        String t = request.getHeaderString("X-Auth-Token");
        if (t != null && !t.isBlank()) {
            return t.trim();
        }
        String a = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).trim();
        }
        return null;
    }
}
