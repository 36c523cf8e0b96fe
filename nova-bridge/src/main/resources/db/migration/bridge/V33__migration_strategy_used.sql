-- Issue 11: what the executor used (the agent's strategy_used once the step ran), next to what was
-- ordered (strategy, auto by default) and proposed (planned_strategy). /metrics counts steps by it.
ALTER TABLE balancer_migration ADD COLUMN strategy_used VARCHAR(32);
