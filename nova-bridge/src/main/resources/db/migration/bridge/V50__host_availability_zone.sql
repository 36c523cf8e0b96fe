-- The cloud's availability zone of a host (Nova's aggregates, through the sync); NULL = unknown.
ALTER TABLE cluster_host ADD COLUMN availability_zone VARCHAR(255);
