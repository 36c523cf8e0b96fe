package io.placewise.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.Goal;
import io.placewise.balancer.PlannedMove;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.balancer.execution.StepState;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading a database written before issue 11: V31 turns the audits' stored API answers into the
 * columns and plan steps of V30 (V32 drops the JSON), and a step recorded "aborted" although it never
 * started becomes "skipped". The rows are what the previous BalancerService wrote, verbatim.
 */
class BalancerSchemaUpgradeTest {
    static final String ANSWER = """
            {"id":"a1","goal":"hotspot","triggered":true,"dry_run":false,"what_if":false,
             "metrics":{"c_avg":0.4,"c_m":0.27,"threshold":0.1,"hotspots":["pm1"],
               "hotspot_details":[{"host":"pm1","cpu":true,"memory":false,"network":false,"reason":"CPU 95 % now"}],
               "projected_cm":0.08},
             "history_match":{"record_id":7},
             "plan":[{"order":1,"vm":"v1","source":"pm1","destination":"pm2","strategy":"compressed","reason":"victim by volume",
                      "action":"migrate","amount_mb":null,"history_record_id":null},
                     {"order":2,"vm":"v2","source":"pm1","destination":"pm3","strategy":"precopy","reason":"next",
                      "action":"migrate","amount_mb":null,"history_record_id":7}],
             "projected":{"pm1":0.5,"pm2":0.4},"notes":["stopped at C_m 0.080"],"decision_ms":1.25,
             "created_at":"2026-11-01T10:00:00Z"}""";
    static final String STEPS = """
            [{"order":1,"action":"migrate","vm":"v1","source":"pm1","destination":"pm2","strategy":"compressed","amount_mb":0,
              "loads_before":{"pm1":0.95,"pm2":0.1}},
             {"order":2,"action":"migrate","vm":"v2","source":"pm1","destination":"pm3","strategy":"precopy","amount_mb":0,
              "loads_before":{"pm1":0.7,"pm3":0.1}}]""";

    @Test
    void auditsAndStepsWrittenBeforeIssue11ReadAsTheDomainsValues(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath();
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration/bridge").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "", ""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO balancer_audit (id, created_at, goal, what_if, executed, answer, steps) VALUES "
                    + "('a1', TIMESTAMP '2026-11-01 10:00:00', 'hotspot', FALSE, TRUE, '" + ANSWER + "', '" + STEPS + "')");
            s.executeUpdate("INSERT INTO balancer_migration (id, audit_id, plan_order, action, vm, source, destination, strategy, "
                    + "state, remote_id, result, error, created_at, updated_at) VALUES "
                    + "('m1', 'a1', 1, 'migrate', 'v1', 'pm1', 'pm2', 'compressed', 'failed', 'x-1', NULL, 'libvirt said no', "
                    + "TIMESTAMP '2026-11-01 10:00:01', TIMESTAMP '2026-11-01 10:00:09'), "
                    + "('m2', 'a1', 2, 'migrate', 'v2', 'pm1', 'pm3', 'precopy', 'aborted', NULL, NULL, "
                    + "'not started: step 1 (v1) failed: libvirt said no', TIMESTAMP '2026-11-01 10:00:01', "
                    + "TIMESTAMP '2026-11-01 10:00:09')");
        }

        try (Database db = Database.open(url, "", "", 2, null, "classpath:db/migration/bridge")) {
            BalancerRepository repo = new BalancerRepository();
            BalancerRepository.StoredAudit a = db.inTransaction(c -> repo.audit(c, "a1")).orElseThrow();
            AuditOutcome o = a.outcome();
            assertThat(o.goal()).isEqualTo(Goal.HOTSPOT);
            assertThat(o.triggered()).isTrue();
            assertThat(a.dryRun()).isFalse();
            assertThat(a.executed()).isTrue();
            assertThat(o.cM()).isEqualTo(0.27);
            assertThat(o.historyRecordId()).isEqualTo(7L);
            assertThat(o.hotspots()).singleElement().satisfies(j -> {
                assertThat(j.host()).isEqualTo("pm1");
                assertThat(j.cpu()).isTrue();
                assertThat(j.reason()).isEqualTo("CPU 95 % now");
            });
            assertThat(o.projected()).containsEntry("pm1", 0.5);
            assertThat(o.notes()).containsExactly("stopped at C_m 0.080");
            assertThat(o.plan()).hasSize(2);
            PlannedMove first = o.plan().get(0);
            assertThat(first.strategy()).isEqualTo(MigrationStrategy.COMPRESSED);
            assertThat(first.reason()).isEqualTo("victim by volume");
            assertThat(first.loadsBefore()).containsEntry("pm1", 0.95);
            assertThat(o.plan().get(1).historyRecordId()).isEqualTo(7L);

            List<ExecutionStep> steps = db.inTransaction(c -> repo.stepsOf(c, "a1")).stream()
                    .map(BalancerRepository.StepRow::step).toList();
            assertThat(steps).extracting(ExecutionStep::state).containsExactly(StepState.FAILED, StepState.SKIPPED);
            assertThat(steps.get(0).startedAt()).isNotNull();
            assertThat(steps.get(0).endedAt()).isNotNull();
            assertThat(steps.get(0).move().loadsBefore()).containsEntry("pm2", 0.1);
            assertThat(steps.get(1).startedAt()).as("never started").isNull();
            assertThat(db.inTransaction(repo::auditsWithActiveSteps)).isEmpty();
        }
    }
}
