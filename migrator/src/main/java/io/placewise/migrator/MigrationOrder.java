package io.placewise.migrator;

import io.placewise.precopy.MigrationStrategy;
import java.util.Objects;

/**
 * One migration to run: the agent API's {@code POST /v1/migrations} body plus its id and whether the
 * guest tolerates being slowed (which lets {@code auto} pick seed 003's CPU throttling).
 * {@code maxDowntimeMs} and {@code bandwidthMbps} are optional (null: hypervisor / config default).
 */
public record MigrationOrder(String id, String domain, String destinationUri, MigrationStrategy strategy,
                             Long maxDowntimeMs, Double bandwidthMbps, boolean guestToleratesSlowing) {
    public MigrationOrder {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(destinationUri, "destination_uri");
        strategy = strategy == null ? MigrationStrategy.AUTO : strategy;
        if (maxDowntimeMs != null && maxDowntimeMs <= 0) {
            throw new IllegalArgumentException("max_downtime_ms must be > 0, was " + maxDowntimeMs);
        }
        if (bandwidthMbps != null && !(bandwidthMbps > 0)) {
            throw new IllegalArgumentException("bandwidth_mbps must be > 0, was " + bandwidthMbps);
        }
    }
}
