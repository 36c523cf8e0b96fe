package io.placewise.bridge.console;

import io.placewise.service.http.ApiProblem;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code /dashboard/} (open: static files only; every API call the page makes carries the token the
 * operator signed in with). The files come from the jar ({@code dashboard/} on the class path), under a
 * Content-Security-Policy that allows scripts, styles and connections from this origin only, so no
 * inline script and no third-party resource can run on the page.
 */
@Path("/dashboard")
public final class DashboardResource {
    /** No inline script or style, nothing from another origin, no framing, no form posts elsewhere. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** {@code /dashboard} without the slash: redirected, so the page's relative URLs resolve under it. */
    @GET
    @PermitAll
    public Response index(@Context UriInfo uri) {
        if (!uri.getPath().endsWith("/")) {
            return Response.status(308).location(URI.create("/dashboard/")).build();
        }
        return file("index.html");
    }

    @GET
    @Path("{file}")
    @PermitAll
    public Response asset(@PathParam("file") String name) {
        return file(name);
    }

    private Response file(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        if (!FILE.matcher(name).matches() || !TYPES.containsKey(ext)) {
            throw ApiProblem.notFound("no dashboard file '" + name + "'");
        }
        byte[] body = files.computeIfAbsent(name, DashboardResource::load);
        if (body.length == 0) {
            files.remove(name);
            throw ApiProblem.notFound("no dashboard file '" + name + "'");
        }
        return Response.ok(body, TYPES.get(ext))
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cache-Control", "no-cache")
                .build();
    }

    private static byte[] load(String name) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
