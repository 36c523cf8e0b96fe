package io.placewise.bridge.http;

import io.placewise.bridge.api.Problem;
import java.util.List;

/** A client error to answer as problem+json; thrown by resources and mappers, never by the core. */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ApiProblem(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail, null);
    }

    public static ApiProblem invalid(String detail, List<Problem.FieldError> errors) {
        return new ApiProblem(422, "Unprocessable Content", detail, errors);
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
