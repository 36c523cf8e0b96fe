package io.placewise.service.auth;

import io.placewise.service.config.AuthConfig;
import io.placewise.service.config.Role;
import io.placewise.service.http.Problems;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.function.Predicate;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * Who may call what (API.md "Auth"), decided on the resource method the router actually matched,
 * so no spelling of a path ({@code /v1;x/cluster}, {@code //}, {@code %2F}, ...) reaches a method
 * without its check. Every service registers this one feature.
 * <ul>
 *   <li>Authentication: a token in {@code X-Auth-Token} or {@code Authorization: Bearer} gives the
 *       request its role, on every path. A method that is not {@code @PermitAll} answers 401 to a
 *       request without a valid token.</li>
 *   <li>Authorisation: Jersey's {@link RolesAllowedDynamicFeature} checks the method's
 *       {@code @RolesAllowed} (roles nest, see {@link Roles}); 403 when the role is too low.</li>
 *   <li>Default deny: a method that declares no role is admin-only. Roles are declared on methods,
 *       never on classes, so a method added to a class never inherits a weaker role; a class-level
 *       role annotation stops the service at start.</li>
 * </ul>
 */
public final class AccessControl implements Feature {
    /** Request property: the TCP peer's address, for {@link TrustedPeersMayCall}. */
    static final String PEER = AccessControl.class.getName() + ".peer";

    private final AuthConfig tokens;
    private final Predicate<String> trustedPeer;

    /**
     * @param trustedPeer the peers (IP address as text) whose tokenless calls to a
     *                    {@link TrustedPeersMayCall} method pass with the service role
     */
    public AccessControl(AuthConfig tokens, Predicate<String> trustedPeer) {
        this.tokens = tokens;
        this.trustedPeer = trustedPeer;
    }

    public AccessControl(AuthConfig tokens) {
        this(tokens, peer -> false);
    }

    @Override
    public boolean configure(FeatureContext context) {
        context.register(new TokenAuthentication(tokens));
        context.register(new PerMethod(trustedPeer));
        return true;
    }

    /** The principal of a request that proved a role. */
    public record Caller(String name, Role role) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    /** Resolves the token to a role before routing, for every path; decides nothing. */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    static final class TokenAuthentication implements ContainerRequestFilter {
        private final AuthConfig tokens;

        @Context
        private Provider<Request> grizzly;

        TokenAuthentication(AuthConfig tokens) {
            this.tokens = tokens;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            Request r = grizzly == null ? null : grizzly.get();
            if (r != null && r.getRemoteAddr() != null) {
                request.setProperty(PEER, r.getRemoteAddr());
            }
            String token = token(request);
            if (token == null) {
                return;
            }
            tokens.roleOf(token).ifPresent(role ->
                    request.setSecurityContext(context(new Caller(role.wireName() + " token", role),
                            request.getSecurityContext().isSecure())));
        }
    }

    /** Registers, per resource method, the authentication check and Jersey's role check. */
    static final class PerMethod implements DynamicFeature {
        private static final RolesAllowedDynamicFeature ROLES = new RolesAllowedDynamicFeature();
        private final Predicate<String> trustedPeer;

        PerMethod(Predicate<String> trustedPeer) {
            this.trustedPeer = trustedPeer;
        }

        @Override
        public void configure(ResourceInfo info, FeatureContext context) {
            Class<?> type = info.getResourceClass();
            Method method = info.getResourceMethod();
            if (type == null || method == null) {
                return;
            }
            if (type.isAnnotationPresent(RolesAllowed.class) || type.isAnnotationPresent(PermitAll.class)
                    || type.isAnnotationPresent(DenyAll.class)) {
                throw new IllegalStateException(type.getName() + ": declare @RolesAllowed / @PermitAll on each "
                        + "resource method, not on the class (a new method must not inherit a weaker role)");
            }
            if (method.isAnnotationPresent(PermitAll.class)) {
                return;
            }
            context.register(new AuthenticationRequired(method.isAnnotationPresent(TrustedPeersMayCall.class)
                    ? trustedPeer : peer -> false));
            boolean declared = method.isAnnotationPresent(RolesAllowed.class) || method.isAnnotationPresent(DenyAll.class);
            ROLES.configure(declared ? info : new AdminByDefault(method), context);
        }
    }

    /** Jersey's role check reads the class's roles when the method has none: this class says admin. */
    @RolesAllowed(Roles.ADMIN)
    private record AdminByDefault(Method method) implements ResourceInfo {
        @Override
        public Method getResourceMethod() {
            return method;
        }

        @Override
        public Class<?> getResourceClass() {
            return AdminByDefault.class;
        }
    }

    /** 401 unless the request proved a role (or is a tokenless call from a trusted peer, where allowed). */
    @Priority(Priorities.AUTHENTICATION)
    static final class AuthenticationRequired implements ContainerRequestFilter {
        private final Predicate<String> trustedPeer;

        AuthenticationRequired(Predicate<String> trustedPeer) {
            this.trustedPeer = trustedPeer;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getSecurityContext().getUserPrincipal() instanceof Caller) {
                return;
            }
            if (!hasCredentials(request) && request.getProperty(PEER) instanceof String peer && trustedPeer.test(peer)) {
                request.setSecurityContext(context(new Caller("trusted peer " + peer, Role.SERVICE),
                        request.getSecurityContext().isSecure()));
                return;
            }
            request.abortWith(Problems.response(401, "Unauthorized",
                    "send a valid token in X-Auth-Token or Authorization: Bearer"));
        }
    }

    private static boolean hasCredentials(ContainerRequestContext request) {
        return request.getHeaderString("X-Auth-Token") != null || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
    }

    static String token(ContainerRequestContext request) {
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

    private static SecurityContext context(Caller caller, boolean secure) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return Role.fromWire(role).map(caller.role()::covers).orElse(false);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Token";
            }
        };
    }
}
