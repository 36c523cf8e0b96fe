package io.placewise.bridge.store;

import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.ExecutionStore;
import io.placewise.model.HistoryRecord;
import io.placewise.service.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The plan executor's steps in the bridge's database ({@code balancer_migration}, {@code balancer_history}). */
public final class JdbcExecutionStore implements ExecutionStore {
    private final Database db;
    private final BalancerRepository repository;
    private final int historySize;
    private volatile io.placewise.bridge.ha.SharedChanges shared = io.placewise.bridge.ha.SharedChanges.NONE;

    /** @param historySize {@code [balancer] history_size}: history records kept */
    public JdbcExecutionStore(Database db, BalancerRepository repository, int historySize) {
        this.db = db;
        this.repository = repository;
        this.historySize = historySize;
    }

    /** Executed plans and new history records are announced to the other bridges from now on. */
    public void shareThrough(io.placewise.bridge.ha.SharedChanges changes) {
        this.shared = changes;
    }

    @Override
    public boolean begin(String auditId, List<ExecutionStep> steps) {
        return db.inTransaction(c -> {
            if (!repository.markExecuted(c, auditId)) {
                return false;
            }
            for (ExecutionStep s : steps) {
                repository.insertStep(c, s);
            }
            shared.announce(c, io.placewise.bridge.ha.SharedChange.plan(auditId));
            return true;
        });
    }

    @Override
    public void save(ExecutionStep step) {
        db.inTransaction(c -> {
            repository.updateStep(c, step);
            return null;
        });
    }

    @Override
    public List<HistoryRecord> complete(ExecutionStep step) {
        return db.inTransaction(c -> {
            repository.updateStep(c, step);
            if (historySize > 0) {
                repository.appendHistory(c, step.move().loadsBefore(), step.move().vm(), step.move().source(),
                        step.move().destination(), step.endedAt(), historySize);
                shared.announce(c, io.placewise.bridge.ha.SharedChange.historyChanged());
            }
            return List.copyOf(repository.history(c, historySize));
        });
    }

    @Override
    public List<ExecutionStep> stepsOf(String auditId) {
        return db.inTransaction(c -> repository.stepsOf(c, auditId)).stream().map(BalancerRepository.StepRow::step).toList();
    }

    @Override
    public List<String> auditsWithActiveSteps() {
        return db.inTransaction(repository::auditsWithActiveSteps);
    }

    @Override
    public int migrationsStartedSince(Instant since) {
        return db.inTransaction(c -> repository.migrationsStartedSince(c, since));
    }

    @Override
    public Map<String, Instant> migratedSince(Instant since) {
        return db.inTransaction(c -> repository.migratedSince(c, since));
    }

    @Override
    public Map<String, Instant> failedSince(Instant since) {
        return db.inTransaction(c -> repository.failedSince(c, since));
    }
}
