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
        return ofStates(steps.stream().map(ExecutionStep::state).toList(), cancelled);
    }

    /** As {@link #of}, from the steps' states alone. */
    public static ExecutionState ofStates(Collection<StepState> states, boolean cancelled) {
        if (states.isEmpty()) {
            return cancelled ? CANCELLED : NOT_STARTED;
        }
        if (states.stream().anyMatch(s -> !s.terminal())) {
            return RUNNING;
        }
        if (cancelled) {
            return CANCELLED;
        }
        long completed = states.stream().filter(s -> s == StepState.COMPLETED).count();
        if (completed == states.size()) {
            return COMPLETED;
        }
        return completed == 0 ? FAILED : PARTIALLY_COMPLETED;
    }
}
