package io.placewise.bridge.http;

import io.placewise.scheduler.PolicyConfigException;
import io.placewise.scheduler.PolicyFailureException;
import io.placewise.service.api.Problem;
import io.placewise.service.http.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's two exceptions as problem+json. The bridge registers them itself, next to
 * service-common's general mappers, so that service-common knows nothing of the scheduler (the
 * migrator agent, which shares service-common, has no policies to map).
 */
public final class PolicyExceptionMappers {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyExceptionMappers.class);

    private PolicyExceptionMappers() {
    }

    public static List<Object> all() {
        return List.of(new PolicyConfigMapper(), new PolicyFailureMapper());
    }

    /** An invalid policy change: 422 with one field error per problem; nothing was changed. */
    public static final class PolicyConfigMapper implements ExceptionMapper<PolicyConfigException> {
        @Override
        public Response toResponse(PolicyConfigException e) {
            List<Problem.FieldError> errors = e.problems().stream()
                    .map(p -> new Problem.FieldError(p.field(), p.message())).toList();
            return Problems.response(new Problem("about:blank", "Unprocessable Content", 422,
                    "the policy change is not valid; nothing was changed", errors));
        }
    }

    /** A policy plugin failed: a server-side bug, reported with the plugin's name. */
    public static final class PolicyFailureMapper implements ExceptionMapper<PolicyFailureException> {
        @Override
        public Response toResponse(PolicyFailureException e) {
            LOG.error("placement policy {} failed", e.policy(), e);
            return Problems.response(500, "Internal Server Error", e.getMessage());
        }
    }
}
