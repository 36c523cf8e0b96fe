package io.placewise.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json} (open, like {@code /healthz}): a service's OpenAPI 3.1 document. Each
 * service writes its own by hand beside its resources (the bridge's {@code openapi/placewise-bridge.yaml},
 * the agent's {@code openapi/placewise-migrator.yaml}; YAML for review), served as JSON; each service's
 * contract test keeps the document and its resources in step.
 */
@Path("/openapi.json")
public final class OpenApiResource {
    private final String json;

    /** @param document the YAML document's class-path resource, e.g. {@code /openapi/placewise-bridge.yaml} */
    public OpenApiResource(String document) {
        this.json = load(document).toString();
    }

    /** The document as a JSON tree; read once at start, so a missing or broken document stops the service. */
    public static JsonNode load(String resource) {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @PermitAll
    public String document() {
        return json;
    }
}
