package io.placewise.balancer.execution;

import io.placewise.model.HistoryRecord;
import java.util.List;

/** What the {@link PlanExecutor} tells its owner as it happens (logs, caches, follow-ups). */
public interface ExecutionListener {
    /** A step changed state (or, while reconciling, learnt its outcome); {@code before} is its previous value. */
    default void stepChanged(ExecutionStep before, ExecutionStep after) {
    }

    /** A migration completed and was recorded; these are the history records now, newest first. */
    default void historyChanged(List<HistoryRecord> newestFirst) {
    }

    /**
     * Every step of the audit's plan has ended (completed, failed, aborted, skipped or cancelled); called
     * once per plan this executor followed to its end, with the lock held: hand work off to another thread.
     */
    default void planEnded(String auditId, List<ExecutionStep> steps) {
    }

    /** A balloon step ended, in whatever state: its host is to be judged again before migrating. */
    default void balloonEnded(ExecutionStep step) {
    }

    /**
     * The executor did not answer about the step (it is asked again within the grace); called for the
     * first failure after an answer, not for every retry.
     */
    default void unanswered(ExecutionStep step, String why) {
    }

    /** Something unexpected failed (the store, say); the executor carries on and tries again. */
    default void problem(String what, RuntimeException e) {
    }
}
