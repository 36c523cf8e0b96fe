package io.placewise.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.placewise.service.api.Problem;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.OutputStream;

/** Builds problem+json responses, in Jersey and below it (Grizzly). */
public final class Problems {
    private Problems() {
    }

    public static Response response(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    public static Response response(int status, String title, String detail) {
        return response(new Problem("about:blank", title, status, detail, null));
    }

    /** The reason phrase of {@code status}, also for those JAX-RS has no constant for (431). */
    public static String title(int status) {
        if (status == 431) {
            return "Request Header Fields Too Large";
        }
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "Error" : s.getReasonPhrase();
    }

    static byte[] json(Problem p) {
        try {
            return JsonMapperProvider.MAPPER.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers on Grizzly directly (before Jersey has the request) and closes the connection. */
    static void write(org.glassfish.grizzly.http.server.Response response, int status, String detail) throws IOException {
        byte[] body = json(new Problem("about:blank", title(status), status, detail, null));
        response.reset();
        response.setStatus(status, title(status));
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.setHeader("Connection", "close");
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
