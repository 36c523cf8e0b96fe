package io.placewise.scheduler;

import java.util.List;

/** A policy configuration that cannot be applied; each problem names the field it concerns. */
public class PolicyConfigException extends RuntimeException {
    /** One bad field: {@code field} as an operator would write it (e.g. {@code params.floor}). */
    public record Problem(String field, String message) {
    }

    private final List<Problem> problems;

    public PolicyConfigException(String message, List<Problem> problems) {
        super(message + ": " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
