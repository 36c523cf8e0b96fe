package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The balancer's wire shapes (API.md "Balancer"). */
public final class BalancerDtos {
    private BalancerDtos() {
    }

    /** {@code POST /v1/audits}: {@code cluster} makes it a what-if audit on that snapshot only. */
    public record AuditRequestDto(String goal, Boolean dryRun, @Valid ClusterDto cluster) {
    }

    public record HotspotDto(String host, boolean cpu, boolean memory, boolean network, String reason) {
    }

    /** {@code hotspots} names the hotspot hosts; {@code hotspot_details} says which resource and why. */
    public record MetricsDto(double cAvg, double cM, double threshold, List<String> hotspots,
                             List<HotspotDto> hotspotDetails, double projectedCm) {
    }

    public record HistoryMatchDto(long recordId) {
    }

    /** One plan step; {@code action} is {@code migrate} or {@code grow_memory} (then {@code amount_mb}). */
    public record PlanStepDto(int order, String vm, String source, String destination, String strategy, String reason,
                              String action, Long amountMb, Long historyRecordId) {
    }

    /**
     * {@code freed_hosts}: hosts a consolidate plan empties, to be switched off once it has run; {@code woken_hosts}:
     * switched-off hosts it needs again for a hotspot (both empty for the other goals).
     */
    public record AuditDto(String id, String goal, boolean triggered, boolean dryRun, boolean whatIf,
                           MetricsDto metrics, HistoryMatchDto historyMatch, List<PlanStepDto> plan,
                           Map<String, Double> projected, List<String> notes, double decisionMs, Instant createdAt,
                           List<String> freedHosts, List<String> wokenHosts) {
    }

    /** {@code GET /v1/audits}: one line per audit; {@code steps} counts its plan. */
    public record AuditSummaryDto(String id, String goal, boolean triggered, boolean dryRun, boolean whatIf, boolean executed,
                                  int steps, double cM, double decisionMs, Instant createdAt) {
    }

    /** A plan step as stored for execution: with the load vector its history record will carry. */
    public record StoredStep(int order, String action, String vm, String source, String destination, String strategy,
                             long amountMb, Map<String, Double> loadsBefore) {
    }

    public record HistoryDto(long id, Instant at, String vm, String source, String destination,
                             Map<String, Double> loadVector) {
    }

    public record MigrationDto(String id, String auditId, int order, String action, String vm, String source,
                               String destination, String strategy, String state, JsonNode result, String error,
                               Instant createdAt, Instant updatedAt) {
    }

    public record ExecutionDto(String auditId, String state, List<MigrationDto> migrations) {
    }
}
