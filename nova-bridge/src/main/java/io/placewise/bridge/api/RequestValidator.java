package io.placewise.bridge.api;

import io.placewise.bridge.http.ApiProblem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Bean Validation of request bodies; field paths are reported as on the wire (snake_case). */
public final class RequestValidator {
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

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
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
