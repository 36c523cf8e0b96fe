package io.placewise.service.http;

import io.placewise.service.config.AuthConfig;
import io.placewise.service.config.Role;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Token auth for {@code /v1} and {@code /scheduler} (API.md "Auth"): GET needs any role; the POSTs
 * a service names as service calls need {@code service}; everything else {@code admin}. Runs before
 * routing, so an unknown path without a token is a 401, not a hint about what exists.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private final AuthConfig auth;
    private final Pattern serviceCalls;
    private final Pattern serviceDeletes;

    /**
     * @param serviceCalls the POST paths (relative, no leading slash) that the {@code service} role
     *                     may call, e.g. the scheduling hooks
     */
    public AuthFilter(AuthConfig auth, Pattern serviceCalls) {
        this(auth, serviceCalls, NOTHING);
    }

    /**
     * @param serviceDeletes the DELETE paths the {@code service} role may call too (the migrator
     *                       agent's abort, which the bridge's executor sends with its service token)
     */
    public AuthFilter(AuthConfig auth, Pattern serviceCalls, Pattern serviceDeletes) {
        this.auth = auth;
        this.serviceCalls = serviceCalls;
        this.serviceDeletes = serviceDeletes;
    }

    private static final Pattern NOTHING = Pattern.compile("(?!)");

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
        Role needed = required(request.getMethod(), path, serviceCalls, serviceDeletes);
        if (!role.get().covers(needed)) {
            request.abortWith(Problems.response(403, "Forbidden",
                    "this call needs the " + needed.name().toLowerCase() + " role"));
        }
    }

    static Role required(String method, String path, Pattern serviceCalls, Pattern serviceDeletes) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return Role.READER;
        }
        if (method.equals("POST") && serviceCalls.matcher(path).matches()) {
            return Role.SERVICE;
        }
        if (method.equals("DELETE") && serviceDeletes.matcher(path).matches()) {
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
