package io.placewise.service.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.placewise.service.api.Problem;
import io.placewise.service.store.StoreException;
import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.lang.reflect.Method;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes problem+json; bad input is a 4xx that says which field and why. A service
 * registers the mappers of its own domain's exceptions next to these (the bridge's policy errors).
 */
public final class ExceptionMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionMappers.class);

    private ExceptionMappers() {
    }

    public static List<Object> all() {
        return List.of(new ApiProblemMapper(), new JsonMapper(), new WebAppMapper(), new StoreMapper(), new CatchAllMapper());
    }

    public static final class ApiProblemMapper implements ExceptionMapper<ApiProblem> {
        @Override
        public Response toResponse(ApiProblem e) {
            return Problems.response(e.toProblem());
        }
    }

    /** Malformed JSON, a wrong type, an unknown field where unknown fields are refused. */
    public static final class JsonMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof JsonParseException || !(e instanceof JsonMappingException jm)) {
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr();
                return Problems.response(400, "Bad Request", "malformed JSON" + where + ": " + e.getOriginalMessage());
            }
            String field = path(jm);
            String message;
            if (e instanceof UnrecognizedPropertyException u) {
                message = "unknown field (known: " + u.getKnownPropertyIds() + ")";
            } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                message = "expected " + describe(mi.getTargetType());
            } else {
                message = e.getOriginalMessage();
            }
            String detail = field.isEmpty() ? "the body does not have the expected shape: " + message
                    : "field '" + field + "': " + message;
            return Problems.response(new Problem("about:blank", "Bad Request", 400, detail,
                    List.of(new Problem.FieldError(field.isEmpty() ? "(body)" : field, message))));
        }

        private static String path(JsonMappingException e) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : e.getPath()) {
                if (r.getFieldName() != null) {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.toString();
        }

        private static String describe(Class<?> t) {
            if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
                return "an integer";
            }
            if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
                return "a finite number";
            }
            if (Number.class.isAssignableFrom(t)) {
                return "a number";
            }
            if (t == String.class) {
                return "a string";
            }
            if (t == Boolean.class || t == boolean.class) {
                return "true or false";
            }
            if (Collection.class.isAssignableFrom(t) || t.isArray()) {
                return "an array";
            }
            if (t == java.time.Instant.class) {
                return "an ISO-8601 time";
            }
            if (Map.class.isAssignableFrom(t) || t.isRecord()) {
                return "an object";
            }
            return "a value of another type";
        }
    }

    /** Jersey's own errors: unknown path (404), wrong method (405), wrong content type (415)... */
    public static final class WebAppMapper implements ExceptionMapper<WebApplicationException> {
        @Context
        private ResourceInfo resource;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response r = e.getResponse();
            int status = r.getStatus();
            Response.StatusType st = Response.Status.fromStatusCode(status);
            String title = st == null ? "Error" : st.getReasonPhrase();
            String detail = switch (status) {
                case 403 -> "this call needs the " + neededRole() + " role";
                case 404 -> "no such resource";
                case 405 -> "method not allowed here";
                case 406 -> "this resource answers application/json";
                case 415 -> "send the body as application/json";
                default -> e.getMessage();
            };
            Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE)
                    .entity(new Problem("about:blank", title, status, detail, null));
            if (r.getHeaderString("Allow") != null) {
                b.header("Allow", r.getHeaderString("Allow"));
            }
            return b.build();
        }

        private String neededRole() {
            Method m = resource == null ? null : resource.getResourceMethod();
            RolesAllowed roles = m == null ? null : m.getAnnotation(RolesAllowed.class);
            return roles == null || roles.value().length == 0 ? Roles.ADMIN : String.join(" or ", roles.value());
        }
    }

    public static final class StoreMapper implements ExceptionMapper<StoreException> {
        @Override
        public Response toResponse(StoreException e) {
            LOG.error("database failure", e);
            return Problems.response(503, "Service Unavailable", "the database did not answer; nothing was changed");
        }
    }

    public static final class CatchAllMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            LOG.error("unexpected failure", e);
            return Problems.response(500, "Internal Server Error", "unexpected failure; see the service log");
        }
    }
}
