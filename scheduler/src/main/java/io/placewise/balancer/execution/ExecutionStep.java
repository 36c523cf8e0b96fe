package io.placewise.balancer.execution;

import io.placewise.balancer.PlannedMove;
import io.placewise.precopy.MigrationStrategy;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One step of an executed plan as it is tracked: the planned move, what was ordered, and what became
 * of it. Immutable; every change is a new value that the {@link ExecutionStore} keeps.
 *
 * @param id           the migration id ({@code /v1/migrations/{id}})
 * @param ordered      the strategy ordered from the executor ({@code auto} lets the agent decide); null for a balloon step
 * @param remoteId     the executor's handle once it accepted the order
 * @param result       the executor's last report (its own fields), empty before
 * @param reconciling  the outcome is not known (the executor stopped answering): the step shows
 *                     {@link StepState#FAILED} and is asked again until its executor answers
 */
public record ExecutionStep(String id, String auditId, PlannedMove move, MigrationStrategy ordered, StepState state,
                            String remoteId, Map<String, Object> result, String error, boolean reconciling,
                            Instant createdAt, Instant startedAt, Instant endedAt) {
    public ExecutionStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(move, "move");
        Objects.requireNonNull(state, "state");
        result = result == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result));
    }

    public static ExecutionStep queued(String id, String auditId, PlannedMove move, MigrationStrategy ordered, Instant at) {
        return new ExecutionStep(id, auditId, move, ordered, StepState.QUEUED, null, Map.of(), null, false, at, null, null);
    }

    public int order() {
        return move.order();
    }

    public boolean isMigration() {
        return move.action() == PlannedMove.Action.MIGRATE;
    }

    /** It holds its hosts: queued, running, or failed with its outcome still being reconciled. */
    public boolean active() {
        return !state.terminal() || reconciling;
    }

    public boolean touches(String host) {
        return host.equals(move.source()) || host.equals(move.destination());
    }

    public boolean sharesHostWith(ExecutionStep other) {
        return touches(other.move.source()) || touches(other.move.destination());
    }

    public ExecutionStep running(Instant at) {
        return new ExecutionStep(id, auditId, move, ordered, StepState.RUNNING, remoteId, result, null, false, createdAt, at, null);
    }

    public ExecutionStep withRemoteId(String handle) {
        return new ExecutionStep(id, auditId, move, ordered, state, handle, result, error, reconciling, createdAt, startedAt, endedAt);
    }

    public ExecutionStep withResult(Map<String, Object> next) {
        return new ExecutionStep(id, auditId, move, ordered, state, remoteId, next, error, reconciling, createdAt, startedAt, endedAt);
    }

    /** The executor answered again and the migration still runs. */
    public ExecutionStep resumedRunning() {
        return new ExecutionStep(id, auditId, move, ordered, StepState.RUNNING, remoteId, result, null, false, createdAt,
                startedAt, null);
    }

    /** A final state; {@code why} is null for a completed step. */
    public ExecutionStep ended(StepState next, String why, Instant at) {
        return new ExecutionStep(id, auditId, move, ordered, next, remoteId, result, why, false, createdAt, startedAt, at);
    }

    /** Shown failed while its outcome is unknown; the executor keeps being asked. */
    public ExecutionStep outcomeUnknown(String why, Instant at) {
        return new ExecutionStep(id, auditId, move, ordered, StepState.FAILED, remoteId, result, why, true, createdAt,
                startedAt, at);
    }

    @Override
    public String toString() {
        return "step " + order() + " of audit " + auditId + " (" + move.action().wireName() + " " + move.vm() + " "
                + move.source() + (isMigration() ? " -> " + move.destination() : "") + ")";
    }
}
