package io.placewise.balancer.execution;

import java.util.Locale;
import java.util.Optional;

/** Where one step of an executed plan is (Watcher's action states, in the migrator agent's words). */
public enum StepState {
    /** Waiting for its turn: an earlier step on one of its hosts, or a parallelism limit. */
    QUEUED,
    /** Ordered from the executor and not over yet. */
    RUNNING,
    /** Done: the VM runs on its destination (or has its new memory). */
    COMPLETED,
    /** Did not happen; the VM stays on its source. */
    FAILED,
    /** Started, then stopped (timeout or the agent's abort); the VM stays on its source. */
    ABORTED,
    /** Never started: the operator cancelled the plan. */
    CANCELLED,
    /** Never started: an earlier step failed, a safety limit or a changed cluster ruled it out. */
    SKIPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StepState> fromWire(String s) {
        for (StepState v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** No further change is expected (a failed step being reconciled may still be corrected). */
    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }

    /** The step reached its executor. */
    public boolean started() {
        return this == RUNNING || this == COMPLETED || this == FAILED || this == ABORTED;
    }
}
