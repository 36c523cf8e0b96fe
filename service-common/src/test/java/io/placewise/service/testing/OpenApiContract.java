package io.placewise.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A running service against its own OpenAPI 3.1 document ({@code GET /openapi.json}), the checks the
 * bridge's and the agent's contract tests share: the document's form (an operationId and
 * {@code x-placewise-role} on every operation), served resource methods = documented operations,
 * request examples valid against their schemas, every answer documented for its status and valid
 * against its schema (networknt, JSON Schema 2020-12, formats asserted), and the refusals of API.md
 * "Auth" (401 without a token, 403 one role below, 400 for a malformed body) documented.
 */
public final class OpenApiContract {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final JsonNode doc;

    public OpenApiContract(JsonNode doc) {
        this.doc = doc;
    }

    /** One documented operation: {@code get /v1/stats} and its OpenAPI object. */
    public record Op(String method, String path, JsonNode node) {
        /** The least role it needs ({@code open}: no token). */
        public String role() {
            return node.path("x-placewise-role").asText();
        }

        public String key() {
            return method.toUpperCase() + " " + path;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    /** A call to the service under test. */
    @FunctionalInterface
    public interface Caller {
        JsonHttp.Answer send(String method, String path, String token, String body) throws Exception;
    }

    public JsonNode document() {
        return doc;
    }

    public List<Op> operations() {
        List<Op> out = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                out.add(new Op(m.getKey(), p.getKey(), m.getValue()));
            }
        }));
        return out;
    }

    public Op operation(String method, String path) {
        return operations().stream().filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError(method + " " + path + " is not documented"));
    }

    /** OpenAPI 3.1, and every operation has a unique operationId, its least role and at least one answer. */
    public void assertWellFormed() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> ids = new TreeSet<>();
        operations().forEach(op -> {
            assertThat(op.node().path("operationId").asText()).as(op.toString()).isNotEmpty();
            assertThat(ids.add(op.node().get("operationId").asText())).as("unique operationId " + op).isTrue();
            assertThat(op.role()).as(op.toString()).isIn("open", "reader", "service", "admin");
            assertThat(op.node().path("responses").size()).as(op.toString()).isPositive();
        });
    }

    /** Every JAX-RS resource method of {@code resources}, as {@code "GET /v1/migrations/{id}"}. */
    public static Set<String> served(Collection<Class<?>> resources) {
        Set<String> out = new TreeSet<>();
        AuthMatrix.endpoints(resources).forEach(e -> out.add(e.method() + " " + normal(e.template())));
        return out;
    }

    /**
     * Each served method's documented {@code x-placewise-role} is the least role it declares
     * ({@code open} for {@code @PermitAll}, admin when it declares none), so the document cannot
     * promise a reader what needs a service token.
     */
    public void assertRolesMatch(Collection<Class<?>> resources) {
        List<String> order = List.of("reader", "service", "admin");
        for (AuthMatrix.Endpoint e : AuthMatrix.endpoints(resources)) {
            String least = e.open() ? "open" : e.roles().isEmpty() ? "admin"
                    : e.roles().stream().min(java.util.Comparator.comparingInt(order::indexOf)).orElseThrow();
            assertThat(operation(e.method(), normal(e.template())).role()).as("x-placewise-role of " + e).isEqualTo(least);
        }
    }

    /** One spelling for a path: single slashes, no trailing one, {@code {name: regex}} as {@code {name}}. */
    static String normal(String path) {
        String p = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** What the service serves is what the document says, no more and no less ({@code file}: where to add it). */
    public void assertDocumentsExactly(Set<String> served, String file) {
        Set<String> documented = new TreeSet<>();
        operations().forEach(op -> documented.add(op.method().toUpperCase() + " " + normal(op.path())));
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        assertThat(missing).as("resource methods missing from " + file).isEmpty();
        Set<String> ghosts = new TreeSet<>(documented);
        ghosts.removeAll(served);
        assertThat(ghosts).as("operations documented in " + file + " that no resource serves").isEmpty();
    }

    /** The operation's JSON request body (schema and example), or null when it takes none. */
    public JsonNode requestMedia(Op op) {
        JsonNode media = resolve(op.node().path("requestBody")).path("content").path("application/json");
        return media.isMissingNode() ? null : media;
    }

    /** The operation's example request body as JSON text, or null when it takes none. */
    public String example(Op op) {
        JsonNode media = requestMedia(op);
        return media == null ? null : media.get("example").toString();
    }

    /**
     * The fuzz suite's templates from the document: each operation with its example body, its path's
     * {@code {param}}s filled from {@code params} (an unknown one as "x").
     */
    public List<Fuzz.Template> fuzzTemplates(java.util.Map<String, String> params) {
        List<Fuzz.Template> out = new ArrayList<>();
        for (Op op : operations()) {
            String path = op.path();
            for (String name : java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path).results()
                    .map(m -> m.group(1)).toList()) {
                path = path.replace("{" + name + "}", params.getOrDefault(name, "x"));
            }
            out.add(new Fuzz.Template(op.method().toUpperCase(), path, example(op)));
        }
        return out;
    }

    /** Every request body has an example, and it is valid against the body's schema. */
    public void assertExamplesValidate() {
        operations().forEach(op -> {
            JsonNode media = requestMedia(op);
            if (media != null) {
                assertThat(media.has("example")).as("example request body of " + op).isTrue();
                assertThat(errors(media.get("schema"), media.get("example"))).as("example of " + op).isEmpty();
            }
        });
    }

    /** The answer's status is documented for {@code op}, with its content type, and a JSON answer validates. */
    public void assertDocumented(Op op, int status, String contentType, JsonNode body, String text) {
        JsonNode response = resolve(op.node().path("responses").path(Integer.toString(status)));
        assertThat(response.isMissingNode()).as(op + " answered " + status + ", which is not documented: " + text).isFalse();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || contentType == null) {
            return;
        }
        String type = contentType.split(";")[0].trim();
        JsonNode media = content.path(type);
        assertThat(media.isMissingNode()).as(op + " " + status + " answered " + type + ", documented "
                + content.fieldNames().next()).isFalse();
        if (type.endsWith("json")) {
            assertThat(errors(media.get("schema"), body)).as(op + " " + status + " answer " + text).isEmpty();
        }
    }

    public void assertDocumented(Op op, JsonHttp.Answer a) {
        assertDocumented(op, a.status(), a.contentType(), a.json(), a.text());
    }

    /** Why {@code instance} does not match {@code schema} (local $refs resolve against the document). */
    public Set<ValidationMessage> errors(JsonNode schema, JsonNode instance) {
        ObjectNode rooted = schema.deepCopy();
        rooted.set("components", doc.get("components"));
        JsonSchema s = SCHEMAS.getSchema(rooted, STRICT);
        return s.validate(instance == null ? JsonHttp.JSON.nullNode() : instance);
    }

    /** {@code node}, or what its {@code $ref} (#/...) points at. */
    public JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode n = doc;
            for (String p : parts) {
                n = n.path(p);
            }
            node = n;
        }
        return node;
    }

    /**
     * Each operation that needs a token: without one 401, with the role below its own 403, and, with a
     * body, a malformed one 400; each answer documented and valid.
     *
     * @param tokenOf  the token of a role (admin, service, reader)
     * @param concrete the path to call for an operation (its template filled in)
     */
    public void assertRefusalsDocumented(Caller caller, Function<String, String> tokenOf, Function<Op, String> concrete)
            throws Exception {
        for (Op op : operations()) {
            if (op.role().equals("open")) {
                continue;
            }
            String path = concrete.apply(op);
            String method = op.method().toUpperCase();
            JsonHttp.Answer anonymous = caller.send(method, path, null, null);
            assertThat(anonymous.status()).as(op + " without a token").isEqualTo(401);
            assertDocumented(op, anonymous);
            String below = op.role().equals("admin") ? "service" : op.role().equals("service") ? "reader" : null;
            if (below != null) {
                JsonHttp.Answer refused = caller.send(method, path, tokenOf.apply(below), example(op));
                assertThat(refused.status()).as(op + " as " + below).isEqualTo(403);
                assertDocumented(op, refused);
            }
            if (requestMedia(op) != null) {
                JsonHttp.Answer malformed = caller.send(method, path, tokenOf.apply("admin"), "{\"truncated\": ");
                assertThat(malformed.status()).as(op + " " + malformed.text()).isEqualTo(400);
                assertDocumented(op, malformed);
            }
        }
    }
}
