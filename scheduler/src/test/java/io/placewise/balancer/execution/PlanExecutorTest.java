package io.placewise.balancer.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.placewise.balancer.PlannedMove;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.model.Host;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.precopy.MigrationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plan executor's dispatch rules on their own, with an in-memory store and an executor whose
 * migrations end when the test says: steps that share a host start in plan order, the others run
 * beside them within the limits.
 */
class PlanExecutorTest {
    final Map<String, ExecutionStep> saved = new ConcurrentHashMap<>();
    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<String, MigrationExecutor.RemoteState> outcome = new ConcurrentHashMap<>();
    PlanExecutor executor;

    final ExecutionStore store = new ExecutionStore() {
        @Override
        public boolean begin(String auditId, List<ExecutionStep> steps) {
            steps.forEach(this::save);
            return true;
        }

        @Override
        public void save(ExecutionStep step) {
            saved.put(step.id(), step);
        }

        @Override
        public List<HistoryRecord> complete(ExecutionStep step) {
            save(step);
            return List.of();
        }

        @Override
        public List<ExecutionStep> stepsOf(String auditId) {
            return saved.values().stream().filter(s -> s.auditId().equals(auditId))
                    .sorted(java.util.Comparator.comparingInt(ExecutionStep::order)).toList();
        }

        @Override
        public List<String> auditsWithActiveSteps() {
            return saved.values().stream().filter(ExecutionStep::active).map(ExecutionStep::auditId).distinct().sorted().toList();
        }

        @Override
        public int migrationsStartedSince(Instant since) {
            return (int) saved.values().stream().filter(s -> s.startedAt() != null && s.isMigration()).count();
        }

        @Override
        public Map<String, Instant> migratedSince(Instant since) {
            return Map.of();
        }
    };

    final MigrationExecutor migrations = new MigrationExecutor() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofMillis(10);
        }

        @Override
        public Duration migrationTimeout() {
            return Duration.ofHours(1);
        }

        @Override
        public String start(Order order) {
            started.add(order.vm());
            return "h-" + order.vm();
        }

        @Override
        public Status status(Order order, String handle) {
            return new Status(outcome.getOrDefault(order.vm(), RemoteState.RUNNING), null, Map.of(), null);
        }

        @Override
        public boolean abort(Order order, String handle) {
            return false;
        }

        @Override
        public Optional<String> find(Order order, Instant since) {
            return Optional.empty();
        }
    };

    static final String[] HOSTS = {"h1", "h2", "h3", "h4", "h5", "h6"};

    final LiveCluster cluster = new LiveCluster() {
        final ClusterSnapshot snapshot;

        {
            List<Host> hosts = new ArrayList<>();
            for (String h : HOSTS) {
                hosts.add(new Host(h, new Capacity(8, 16384, 100, 1000), 0.5, 0.5, 0, 0, true));
            }
            List<Vm> vms = List.of(vm("a", "h1"), vm("b", "h2"), vm("c", "h4"), vm("d", "h1"));
            snapshot = new ClusterSnapshot(hosts, vms, List.of(), Map.of());
        }

        @Override
        public ClusterSnapshot current() {
            return snapshot;
        }

        @Override
        public void migrated(String vm, String source, String destination) {
        }

        @Override
        public void memoryChanged(String vm, long memoryMb) {
        }
    };

    static Vm vm(String id, String host) {
        return new Vm(id, host, 1, 512, 1, 0.1, 0.1, 0, 10, WorkloadClass.CPU, null, null);
    }

    static PlannedMove move(int order, String vm, String from, String to) {
        return new PlannedMove(order, PlannedMove.Action.MIGRATE, vm, from, to, MigrationStrategy.PRECOPY, 0, "test",
                WorkloadClass.CPU, 512, Map.of(), null);
    }

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    List<StepState> states(String audit) {
        return store.stepsOf(audit).stream().map(ExecutionStep::state).toList();
    }

    @Test
    void stepsSharingAHostWaitInPlanOrderAndIndependentOnesRunBesideThemWithinTheClusterLimit() {
        executor = new PlanExecutor(store, migrations, cluster, ExecutionSettings.DEFAULT.withLimits(1, 2, 0),
                new ExecutionListener() { }, Clock.systemUTC());
        executor.start();
        executor.execute("p", List.of(move(1, "a", "h1", "h2"), move(2, "b", "h2", "h3"), move(3, "c", "h4", "h5"),
                move(4, "d", "h1", "h6")));

        // a holds h1 and h2: b (h2) and d (h1) wait; c shares nothing and runs beside it.
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
        assertThat(started).containsExactlyInAnyOrder("a", "c");
        assertThat(states("p")).containsExactly(StepState.RUNNING, StepState.QUEUED, StepState.RUNNING, StepState.QUEUED);

        outcome.put("c", MigrationExecutor.RemoteState.COMPLETED);
        await().atMost(Duration.ofSeconds(10)).until(() -> states("p").get(2) == StepState.COMPLETED);
        assertThat(started).as("b and d still wait for a's hosts").hasSize(2);

        outcome.put("a", MigrationExecutor.RemoteState.COMPLETED);
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 4);
        assertThat(states("p")).containsExactly(StepState.COMPLETED, StepState.RUNNING, StepState.COMPLETED, StepState.RUNNING);
        assertThat(executor.busyHosts()).containsExactlyInAnyOrder("h2", "h3", "h1", "h6");
    }

    @Test
    void aStandbyStoresThePlanAndOrdersNothingAndTheNextLeaderNeverOrdersAStartedStepAgain() {
        executor = new PlanExecutor(store, migrations, cluster, ExecutionSettings.DEFAULT.withLimits(1, 1, 0),
                new ExecutionListener() { }, Clock.systemUTC());
        // Not leading: the plan is stored queued, nothing is ordered.
        executor.execute("p", List.of(move(1, "a", "h1", "h2"), move(2, "b", "h2", "h3")));
        assertThat(states("p")).containsExactly(StepState.QUEUED, StepState.QUEUED);
        assertThat(executor.busyHosts()).as("the stored plan's hosts, as the leader has them").contains("h1", "h2", "h3");

        // Leading: it takes the plan up and orders a.
        executor.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 1);
        assertThat(started).containsExactly("a");

        // Steps down while a runs: nothing more happens, a stays running as stored.
        executor.stop();
        outcome.put("a", MigrationExecutor.RemoteState.COMPLETED);
        assertThat(executor.executing()).isFalse();
        assertThat(states("p")).containsExactly(StepState.RUNNING, StepState.QUEUED);

        // The next leader (same store) asks about a instead of ordering it again, then orders b once.
        PlanExecutor next = new PlanExecutor(store, migrations, cluster, ExecutionSettings.DEFAULT.withLimits(1, 1, 0),
                new ExecutionListener() { }, Clock.systemUTC());
        try {
            next.start();
            outcome.put("b", MigrationExecutor.RemoteState.COMPLETED);
            await().atMost(Duration.ofSeconds(10)).until(() -> states("p").equals(List.of(StepState.COMPLETED, StepState.COMPLETED)));
            assertThat(started).containsExactly("a", "b");
        } finally {
            next.close();
        }
    }

    @Test
    void aLeaderThatCannotConfirmItsLeadershipOrdersNothing() throws Exception {
        executor = new PlanExecutor(store, migrations, cluster, ExecutionSettings.DEFAULT, new ExecutionListener() { },
                Clock.systemUTC());
        executor.orderOnlyIf(() -> false);
        executor.start();
        executor.execute("p", List.of(move(1, "a", "h1", "h2")));
        Thread.sleep(300);
        assertThat(started).isEmpty();
        assertThat(states("p")).as("left as stored for the next leader").containsExactly(StepState.RUNNING);
    }

    @Test
    void theOwnerIsToldOnceWhenThePlansLastStepHasEnded() {
        List<String> ended = new CopyOnWriteArrayList<>();
        executor = new PlanExecutor(store, migrations, cluster, ExecutionSettings.DEFAULT.withLimits(1, 2, 0),
                new ExecutionListener() {
                    @Override
                    public void planEnded(String auditId, List<ExecutionStep> steps) {
                        ended.add(auditId + ":" + steps.stream().map(s -> s.state().wireName()).toList());
                    }
                }, Clock.systemUTC());
        executor.start();
        executor.execute("p", List.of(move(1, "a", "h1", "h2"), move(2, "b", "h2", "h3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 1);
        outcome.put("a", MigrationExecutor.RemoteState.COMPLETED);
        await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
        assertThat(ended).as("b still runs").isEmpty();
        outcome.put("b", MigrationExecutor.RemoteState.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> !ended.isEmpty());
        assertThat(ended).containsExactly("p:[completed, failed]");
    }

    @Test
    void theExecutionStateFollowsItsSteps() {
        PlannedMove m = move(1, "a", "h1", "h2");
        Instant t = Instant.EPOCH;
        ExecutionStep queued = ExecutionStep.queued("1", "p", m, MigrationStrategy.AUTO, t);
        ExecutionStep done = queued.running(t).ended(StepState.COMPLETED, null, t);
        ExecutionStep failed = queued.running(t).ended(StepState.FAILED, "no", t);
        ExecutionStep skipped = queued.ended(StepState.SKIPPED, "not started", t);
        assertThat(ExecutionState.of(List.of(), false)).isEqualTo(ExecutionState.NOT_STARTED);
        assertThat(ExecutionState.of(List.of(), true)).isEqualTo(ExecutionState.CANCELLED);
        assertThat(ExecutionState.of(List.of(done, queued), false)).isEqualTo(ExecutionState.RUNNING);
        assertThat(ExecutionState.of(List.of(done, done), false)).isEqualTo(ExecutionState.COMPLETED);
        assertThat(ExecutionState.of(List.of(done, failed, skipped), false)).isEqualTo(ExecutionState.PARTIALLY_COMPLETED);
        assertThat(ExecutionState.of(List.of(failed, skipped), false)).isEqualTo(ExecutionState.FAILED);
        assertThat(ExecutionState.of(List.of(done, skipped), true)).isEqualTo(ExecutionState.CANCELLED);
        assertThat(failed.outcomeUnknown("silent", t).active()).as("a reconciling step keeps its hosts").isTrue();
    }
}
