package io.placewise.balancer.execution;

import io.placewise.model.HistoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the {@link PlanExecutor} keeps its steps, so that a restarted bridge picks them up again. */
public interface ExecutionStore {

    /**
     * Marks the audit executed and stores its steps as queued, in one transaction.
     *
     * @return false, storing nothing, when the audit was already executed or cancelled
     */
    boolean begin(String auditId, List<ExecutionStep> steps);

    /** Stores the step's new state. */
    void save(ExecutionStep step);

    /**
     * Stores the completed migration step and appends its history record (seed 000 §3.1 step 3) in one
     * transaction, keeping the newest {@code [balancer] history_size} records.
     *
     * @return the history records after it, newest first
     */
    List<HistoryRecord> complete(ExecutionStep step);

    /** Every step of the audit, in plan order. */
    List<ExecutionStep> stepsOf(String auditId);

    /** The audits with a step that is queued, running or being reconciled, oldest first. */
    List<String> auditsWithActiveSteps();

    /** How many migrations were started at or after {@code since} (the hourly budget). */
    int migrationsStartedSince(Instant since);

    /** The VMs whose migration completed at or after {@code since}, with when (the cooldown). */
    Map<String, Instant> migratedSince(Instant since);

    /** The VMs whose migration failed or was aborted at or after {@code since}, with when (the failed-move cooldown). */
    default Map<String, Instant> failedSince(Instant since) {
        return Map.of();
    }
}
