-- The migrator agent's own schema (kept under db/migration/migrator, apart from the bridge's).

-- Every migration ordered through POST /v1/migrations, kept so GET survives an agent restart.
CREATE TABLE migration (
    id                  VARCHAR(64)   PRIMARY KEY,
    domain              VARCHAR(255)  NOT NULL,
    destination_uri     VARCHAR(1024) NOT NULL,
    strategy_requested  VARCHAR(16)   NOT NULL,
    max_downtime_ms     BIGINT,
    bandwidth_mbps      DOUBLE PRECISION,
    guest_tolerates_slowing BOOLEAN   NOT NULL,
    state               VARCHAR(16)   NOT NULL,
    strategy_used       VARCHAR(16),
    reason              VARCHAR(4000),
    downtime_ms         BIGINT,
    total_ms            BIGINT,
    data_mb             DOUBLE PRECISION,
    error               VARCHAR(4000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX migration_state ON migration (state);

-- Each pre-copy round as the runner reported it.
CREATE TABLE migration_round (
    migration_id        VARCHAR(64)   NOT NULL REFERENCES migration (id) ON DELETE CASCADE,
    seq                 INT           NOT NULL,
    iteration           BIGINT        NOT NULL,
    dirty_rate_mbps     DOUBLE PRECISION NOT NULL,
    transfer_rate_mbps  DOUBLE PRECISION NOT NULL,
    remaining_mb        DOUBLE PRECISION NOT NULL,
    cpu_share_pct       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (migration_id, seq)
);

-- CPU shares changed and not yet restored (seed 003 §4.1): written before the first change,
-- deleted only after the restore, so a crashed agent restores them at its next start.
CREATE TABLE cpu_share_restore (
    migration_id        VARCHAR(64)   PRIMARY KEY,
    domain              VARCHAR(255)  NOT NULL,
    destination_uri     VARCHAR(1024),
    period_us           BIGINT        NOT NULL,
    quota_us            BIGINT        NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
