-- Issue 11: tracked plan execution. Portable SQL: runs on H2 and PostgreSQL unchanged.
-- Audits are kept as the domain's fields (the API's JSON answer stops being the stored form; V31
-- converts the rows written before, V32 drops the old columns), plan steps in a table of their own,
-- and each executed step with its timestamps and whether its outcome is still being reconciled.

ALTER TABLE balancer_audit ADD COLUMN dry_run BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN triggered BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN c_avg DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN c_m DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN threshold DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN projected_cm DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN decision_ms DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE balancer_audit ADD COLUMN history_record_id BIGINT;
-- JSON written and read by BalancerRepository only: [{"host", "cpu", "memory", "network", "reasons"}]
ALTER TABLE balancer_audit ADD COLUMN hotspots TEXT;
-- JSON object host -> projected CPU utilisation; JSON array of strings
ALTER TABLE balancer_audit ADD COLUMN projected TEXT;
ALTER TABLE balancer_audit ADD COLUMN notes TEXT;
-- consolidate (issue 12): JSON arrays of host names the plan empties / switches on again
ALTER TABLE balancer_audit ADD COLUMN freed_hosts TEXT;
ALTER TABLE balancer_audit ADD COLUMN woken_hosts TEXT;
ALTER TABLE balancer_audit ADD COLUMN cancelled_at TIMESTAMP WITH TIME ZONE;
-- A re-judgement after a balloon step names the audit whose balloon step it follows.
ALTER TABLE balancer_audit ADD COLUMN follow_up_of VARCHAR(64);

-- The planned moves of an audit, in execution order (the planner's PlannedMove).
CREATE TABLE balancer_plan_step (
    audit_id          VARCHAR(64)   NOT NULL REFERENCES balancer_audit (id),
    plan_order        INTEGER       NOT NULL,
    action            VARCHAR(32)   NOT NULL,
    vm                VARCHAR(255)  NOT NULL,
    source            VARCHAR(255)  NOT NULL,
    destination       VARCHAR(255)  NOT NULL,
    strategy          VARCHAR(32),
    amount_mb         BIGINT        NOT NULL,
    reason            TEXT          NOT NULL,
    workload          VARCHAR(32)   NOT NULL,
    memory_mb         BIGINT        NOT NULL,
    load_vector       TEXT          NOT NULL,  -- JSON object host -> CPU utilisation the move was decided on
    history_record_id BIGINT,
    PRIMARY KEY (audit_id, plan_order)
);

-- strategy now holds what was ordered (auto by default); planned_strategy the planner's proposal.
ALTER TABLE balancer_migration ADD COLUMN planned_strategy VARCHAR(32);
ALTER TABLE balancer_migration ADD COLUMN started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE balancer_migration ADD COLUMN ended_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE balancer_migration ADD COLUMN reconciling BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX balancer_migration_state ON balancer_migration (state);
CREATE INDEX balancer_migration_started ON balancer_migration (started_at);
CREATE INDEX balancer_migration_ended ON balancer_migration (ended_at);

-- Issue 11 item 6: the flavor's placewise:tolerates_slowing; NULL lets the workload class decide.
ALTER TABLE cluster_vm ADD COLUMN tolerates_slowing BOOLEAN;
