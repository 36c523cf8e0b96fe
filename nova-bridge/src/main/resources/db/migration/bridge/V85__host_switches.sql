-- Issue 12 item 3 (seed 001 §IV: "the freed-up PMs can be switched off"): what executing a plan did
-- to its hosts. A host the plan wakes is switched on before its first step; a host it frees is
-- switched off once the plan has ended, if it really is empty then (else it is kept on, with why).
-- Portable SQL: runs on H2 and PostgreSQL unchanged.
CREATE TABLE balancer_host_switch (
    audit_id    VARCHAR(64)   NOT NULL REFERENCES balancer_audit (id),
    host        VARCHAR(255)  NOT NULL,
    action      VARCHAR(16)   NOT NULL,  -- switch_on | switch_off
    outcome     VARCHAR(16)   NOT NULL,  -- done | kept | failed
    note        TEXT,
    switched_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (audit_id, host, action)
);
