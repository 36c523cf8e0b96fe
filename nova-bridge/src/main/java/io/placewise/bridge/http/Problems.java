package io.placewise.bridge.http;

import io.placewise.bridge.api.Problem;
import jakarta.ws.rs.core.Response;

/** Builds problem+json responses. */
public final class Problems {
    private Problems() {
    }

    public static Response response(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    public static Response response(int status, String title, String detail) {
        return response(new Problem("about:blank", title, status, detail, null));
    }
}
