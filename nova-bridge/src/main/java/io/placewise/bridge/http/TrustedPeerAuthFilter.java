package io.placewise.bridge.http;

import io.placewise.bridge.config.IpAllowList;
import io.placewise.service.http.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import org.glassfish.grizzly.http.server.Request;

/**
 * {@link AuthFilter}, except that a POST to {@code /scheduler/nova/external} carrying no token at
 * all is let through when the TCP peer is in {@code [nova_external] allow_unauthenticated_from}:
 * SAP's Nova fork posts without credentials. Only that one call; a request with a token is always
 * judged by its token (a wrong one stays 401); the peer is the socket's address, never a header
 * such as X-Forwarded-For (so behind a proxy, the proxy is the peer: do not list it).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class TrustedPeerAuthFilter implements ContainerRequestFilter {
    static final String PATH = "scheduler/nova/external";

    private final AuthFilter tokens;
    private final IpAllowList trusted;

    @Context
    private Provider<Request> grizzly;

    public TrustedPeerAuthFilter(AuthFilter tokens, IpAllowList trusted) {
        this.tokens = tokens;
        this.trusted = trusted;
    }

    @Override
    public void filter(ContainerRequestContext request) throws java.io.IOException {
        if (!trusted.isEmpty() && isTrustedNovaCall(request)) {
            return;
        }
        tokens.filter(request);
    }

    private boolean isTrustedNovaCall(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!"POST".equals(request.getMethod()) || !(path.equals(PATH) || path.equals(PATH + "/"))) {
            return false;
        }
        if (request.getHeaderString("X-Auth-Token") != null || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        Request r = grizzly == null ? null : grizzly.get();
        return r != null && trusted.allows(r.getRemoteAddr());
    }
}
