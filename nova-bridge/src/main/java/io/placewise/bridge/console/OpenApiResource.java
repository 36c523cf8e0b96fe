package io.placewise.bridge.console;

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
 * {@code GET /openapi.json} (open, like {@code /healthz}): the OpenAPI 3.1 document of the bridge's API.
 * It is written by hand beside the resources ({@code openapi/placewise-bridge.yaml}, YAML for review)
 * and served as JSON; {@code OpenApiContractTest} keeps it and the resources in step.
 */
@Path("/openapi.json")
public final class OpenApiResource {
    public static final String DOCUMENT = "/openapi/placewise-bridge.yaml";
    private final String json;

    public OpenApiResource() {
        this.json = load(DOCUMENT).toString();
    }

    /** The document as a JSON tree; the contract test and the fuzz suite read it from here too. */
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
