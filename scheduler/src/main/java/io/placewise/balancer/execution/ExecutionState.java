package io.placewise.balancer.execution;

import java.util.Collection;
import java.util.Locale;

/** Where an audit's plan is as a whole (API.md {@code execution.state}), derived from its steps. */
public enum ExecutionState {
    NOT_STARTED, RUNNING, COMPLETED, FAILED, PARTIALLY_COMPLETED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param steps     the plan's steps, empty when it was never executed
     * @param cancelled the operator cancelled it
     */
    public static ExecutionState of(Collection<ExecutionStep> steps, boolean cancelled) {
        if (steps.isEmpty()) {
            return cancelled ? CANCELLED : NOT_STARTED;
        }
        if (steps.stream().anyMatch(s -> !s.state().terminal())) {
            return RUNNING;
        }
        if (cancelled) {
            return CANCELLED;
        }
        long completed = steps.stream().filter(s -> s.state() == StepState.COMPLETED).count();
        if (completed == steps.size()) {
            return COMPLETED;
        }
        return completed == 0 ? FAILED : PARTIALLY_COMPLETED;
    }
}
