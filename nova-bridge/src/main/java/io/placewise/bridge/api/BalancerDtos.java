package io.placewise.bridge.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.balancer.Goal;
import io.placewise.service.api.WireName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The balancer's wire shapes (API.md "Balancer"). */
public final class BalancerDtos {
    private BalancerDtos() {
    }

    /** {@code POST /v1/audits}: {@code cluster} makes it a what-if audit on that snapshot only. */
    public record AuditRequestDto(@NotNull @WireName(Goal.class) String goal, Boolean dryRun, @Valid ClusterDto cluster) {
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
     * An audit as answered; {@code execution} says what became of its plan, {@code follow_up_of} names
     * the audit whose balloon step this re-judgement follows; {@code freed_hosts}: hosts a consolidate plan
     * empties, to be switched off once it has run; {@code woken_hosts}: switched-off hosts it needs again
     * for a hotspot (both empty for the other goals).
     */
    public record AuditDto(String id, String goal, boolean triggered, boolean dryRun, boolean whatIf,
                           MetricsDto metrics, HistoryMatchDto historyMatch, List<PlanStepDto> plan,
                           Map<String, Double> projected, List<String> notes, double decisionMs, Instant createdAt,
                           List<String> freedHosts, List<String> wokenHosts, ExecutionDto execution,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String followUpOf) {
    }

    /**
     * {@code GET /v1/audits}: one line per audit; {@code steps} counts its plan, {@code execution_state}
     * says what became of it (as {@code execution.state} of the audit).
     */
    public record AuditSummaryDto(String id, String goal, boolean triggered, boolean dryRun, boolean whatIf, boolean executed,
                                  int steps, double cM, double decisionMs, Instant createdAt, String executionState) {
    }

    /**
     * One executed step as {@code GET /v1/audits/{id}} shows it (API.md: order, migration_id, state,
     * started_at, ended_at, error); {@code reconciling}: the outcome is not known yet and the executor is
     * still being asked.
     */
    public record StepDto(int order, String migrationId, String action, String vm, String state, Instant startedAt,
                          Instant endedAt, String error, boolean reconciling) {
    }

    /**
     * {@code execution} of an audit: not_started, running, completed, failed, partially_completed or cancelled;
     * {@code host_switches}: the hosts the plan switched on (woken, before its first step) or off (freed, once
     * it ended), or kept as they were, with why.
     */
    public record ExecutionDto(String state, List<StepDto> steps, List<HostSwitchDto> hostSwitches) {
    }

    /** One host switched by a plan: {@code action} switch_on | switch_off, {@code outcome} done | kept | failed. */
    public record HostSwitchDto(String host, String action, String outcome, String note, Instant at) {
    }

    public record HistoryDto(long id, Instant at, String vm, String source, String destination,
                             Map<String, Double> loadVector) {
    }

    /**
     * An executed step ({@code /v1/migrations}); {@code strategy} is what was ordered ({@code auto}: the
     * agent chose, see {@code result.strategy_used}), {@code planned_strategy} the planner's proposal.
     */
    public record MigrationDto(String id, String auditId, int order, String action, String vm, String source,
                               String destination, String strategy, String plannedStrategy, String state,
                               JsonNode result, String error, boolean reconciling, Instant createdAt,
                               Instant startedAt, Instant endedAt, Instant updatedAt) {
    }

    /** The answer to execute and cancel: the execution now, and the steps as migrations. */
    public record ExecutionAnswerDto(String auditId, String state, List<StepDto> steps, List<MigrationDto> migrations) {
    }
}
