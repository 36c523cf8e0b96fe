package io.placewise.bridge.api;

import io.placewise.bridge.http.ApiProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the errors of one request so that the client hears about all of them at once. */
final class FieldErrors {
    private final List<Problem.FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    /** @throws ApiProblem 422 when any error was added */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors.size() + " invalid field(s); nothing was changed", errors);
        }
    }
}
