package io.placewise.migrator;

import io.placewise.precopy.MigrationStrategy;
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
    private final Listener listener;
    private volatile MigrationState state = MigrationState.QUEUED;
    private volatile boolean abortRequested;
    private volatile boolean postCopyActive;
    private volatile MigrationStrategy strategyUsed;
    private volatile String reason;

    /**
     * Hears of every change as it happens (the agent persists them, so a restart still shows the
     * rounds so far). Called on the runner's thread; must not throw.
     */
    public interface Listener {
        default void stateChanged(MigrationState state) {
        }

        default void roundReported(RoundReport report) {
        }

        /** The strategy that will run ({@code auto} resolved) and why. */
        default void strategyChosen(MigrationStrategy strategy, String reason) {
        }
    }

    public MigrationControl() {
        this(new Listener() {
        });
    }

    public MigrationControl(Listener listener) {
        this.listener = listener;
    }

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

    /** The strategy chosen, null until the runner has chosen it. */
    public MigrationStrategy strategyUsed() {
        return strategyUsed;
    }

    /** Why the strategy was chosen, null until then. */
    public String reason() {
        return reason;
    }

    void state(MigrationState newState) {
        state = newState;
        listener.stateChanged(newState);
    }

    void postCopyStarted() {
        postCopyActive = true;
    }

    void round(RoundReport report) {
        rounds.add(report);
        listener.roundReported(report);
    }

    void strategyChosen(MigrationStrategy strategy, String why) {
        strategyUsed = strategy;
        reason = why;
        listener.strategyChosen(strategy, why);
    }
}
