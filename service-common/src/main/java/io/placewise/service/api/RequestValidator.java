package io.placewise.service.api;

import io.placewise.service.http.ApiProblem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Bean Validation of request bodies (Hibernate Validator, messages interpolated with Jakarta EL so
 * that "must be greater than or equal to 0" reads as such); field paths are reported as on the wire,
 * named by the JSON mapper's own naming strategy.
 */
public final class RequestValidator {
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .buildValidatorFactory().getValidator();
    private static final PropertyNamingStrategies.NamingBase WIRE = (PropertyNamingStrategies.NamingBase)
            PropertyNamingStrategies.SNAKE_CASE;

    private RequestValidator() {
    }

    /** The body's field errors, sorted by field; empty when it is valid. */
    public static List<Problem.FieldError> check(Object body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<Object> v : VALIDATOR.validate(body)) {
            errors.add(new Problem.FieldError(wirePath(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return errors;
    }

    /**
     * @throws ApiProblem 400 when there is no body, 422 listing every invalid field
     */
    public static <T> T require(T body) {
        if (body == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        List<Problem.FieldError> errors = check(body);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors.size() + " invalid field(s); nothing was changed", errors);
        }
        return body;
    }

    static String wirePath(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node n : path) {
            if (n.getIndex() != null && sb.length() > 0 && n.getName() != null && n.getName().startsWith("<")) {
                sb.append('[').append(n.getIndex()).append(']');
                continue;
            }
            if (n.getName() != null && !n.getName().startsWith("<")) {
                if (n.getIndex() != null) {
                    sb.append('[').append(n.getIndex()).append(']');
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(snake(n.getName()));
            } else if (n.getIndex() != null) {
                sb.append('[').append(n.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static String snake(String camel) {
        return WIRE.translate(camel);
    }
}
