package io.placewise.migrator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live handle of one running migration, shared between the runner and whoever watches it (the
 * agent's REST layer): the state and rounds so far, and the operator's abort request
 * ({@code DELETE /v1/migrations/{id}}). An abort is honoured only before post-copy starts: after
 * the switch the destination owns the newest memory and aborting would lose the VM.
 */
public final class MigrationControl {
    private final List<RoundReport> rounds = new CopyOnWriteArrayList<>();
    private volatile MigrationState state = MigrationState.QUEUED;
    private volatile boolean abortRequested;
    private volatile boolean postCopyActive;

    /** Asks the runner to abort; false when it is too late (post-copy) or already over. */
    public boolean requestAbort() {
        if (postCopyActive || state == MigrationState.COMPLETED || state == MigrationState.FAILED
                || state == MigrationState.ABORTED) {
            return false;
        }
        abortRequested = true;
        return true;
    }

    public boolean abortRequested() {
        return abortRequested;
    }

    public MigrationState state() {
        return state;
    }

    public List<RoundReport> rounds() {
        return List.copyOf(rounds);
    }

    public boolean postCopyActive() {
        return postCopyActive;
    }

    void state(MigrationState newState) {
        state = newState;
    }

    void postCopyStarted() {
        postCopyActive = true;
    }

    void round(RoundReport report) {
        rounds.add(report);
    }
}
