package io.placewise.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.balancer.AuditOutcome;
import io.placewise.balancer.PlannedMove;
import io.placewise.balancer.execution.ExecutionState;
import io.placewise.balancer.execution.ExecutionStep;
import io.placewise.bridge.api.BalancerDtos.AuditDto;
import io.placewise.bridge.api.BalancerDtos.ExecutionAnswerDto;
import io.placewise.bridge.api.BalancerDtos.ExecutionDto;
import io.placewise.bridge.api.BalancerDtos.HistoryDto;
import io.placewise.bridge.api.BalancerDtos.HistoryMatchDto;
import io.placewise.bridge.api.BalancerDtos.HotspotDto;
import io.placewise.bridge.api.BalancerDtos.MetricsDto;
import io.placewise.bridge.api.BalancerDtos.MigrationDto;
import io.placewise.bridge.api.BalancerDtos.PlanStepDto;
import io.placewise.bridge.api.BalancerDtos.StepDto;
import io.placewise.bridge.store.BalancerRepository;
import io.placewise.bridge.store.BalancerRepository.StoredAudit;
import io.placewise.model.HistoryRecord;
import io.placewise.model.HotspotDetector;
import io.placewise.service.http.JsonMapperProvider;
import java.time.Instant;
import java.util.List;

/** The balancer's domain values in their wire shapes (API.md "Balancer"). */
public final class BalancerMapper {
    private BalancerMapper() {
    }

    public static AuditDto audit(StoredAudit a, List<ExecutionStep> steps, List<BalancerRepository.HostSwitch> switches) {
        AuditOutcome out = a.outcome();
        List<String> hotspots = out.hotspots().stream().map(HotspotDetector.Judgement::host).toList();
        List<HotspotDto> details = out.hotspots().stream().map(j -> new HotspotDto(j.host(), j.cpu(), j.memory(),
                j.network(), j.reason())).toList();
        List<PlanStepDto> plan = out.plan().stream().map(m -> new PlanStepDto(m.order(), m.vm(), m.source(), m.destination(),
                m.strategy() == null ? null : m.strategy().wireName(), m.reason(), m.action().wireName(),
                m.action() == PlannedMove.Action.GROW_MEMORY ? m.amountMb() : null, m.historyRecordId())).toList();
        return new AuditDto(a.id(), out.goal().wireName(), out.triggered(), a.dryRun(), a.whatIf(),
                new MetricsDto(out.cAvg(), out.cM(), out.threshold(), hotspots, details, out.projectedCm()),
                out.historyRecordId() == null ? null : new HistoryMatchDto(out.historyRecordId()), plan,
                out.projected(), out.notes(), out.decisionMs(), a.createdAt(), out.freedHosts(), out.wokenHosts(),
                execution(a, steps, switches), a.followUpOf());
    }

    public static ExecutionDto execution(StoredAudit a, List<ExecutionStep> steps, List<BalancerRepository.HostSwitch> switches) {
        return new ExecutionDto(ExecutionState.of(steps, a.cancelled()).wireName(),
                steps.stream().map(BalancerMapper::step).toList(),
                switches.stream().map(h -> new BalancerDtos.HostSwitchDto(h.host(), h.action(), h.outcome(), h.note(), h.at()))
                        .toList());
    }

    public static ExecutionAnswerDto answer(StoredAudit a, List<ExecutionStep> steps, List<MigrationDto> migrations) {
        return new ExecutionAnswerDto(a.id(), ExecutionState.of(steps, a.cancelled()).wireName(),
                steps.stream().map(BalancerMapper::step).toList(), migrations);
    }

    static StepDto step(ExecutionStep s) {
        return new StepDto(s.order(), s.id(), s.move().action().wireName(), s.move().vm(), s.state().wireName(),
                s.startedAt(), s.endedAt(), s.error(), s.reconciling());
    }

    public static MigrationDto migration(ExecutionStep s, Instant updatedAt) {
        JsonNode result = s.result().isEmpty() ? null : JsonMapperProvider.MAPPER.valueToTree(s.result());
        PlannedMove m = s.move();
        return new MigrationDto(s.id(), s.auditId(), m.order(), m.action().wireName(), m.vm(), m.source(), m.destination(),
                s.ordered() == null ? null : s.ordered().wireName(), m.strategy() == null ? null : m.strategy().wireName(),
                s.state().wireName(), result, s.error(), s.reconciling(), s.createdAt(), s.startedAt(), s.endedAt(),
                updatedAt);
    }

    public static BalancerDtos.AuditSummaryDto summary(BalancerRepository.AuditSummary a) {
        return new BalancerDtos.AuditSummaryDto(a.id(), a.goal(), a.triggered(), a.dryRun(), a.whatIf(), a.executed(),
                a.planSize(), a.cM(), a.decisionMs(), a.createdAt(),
                ExecutionState.ofStates(a.stepStates(), a.cancelled()).wireName());
    }

    public static HistoryDto history(HistoryRecord r) {
        return new HistoryDto(r.id(), r.at(), r.vm(), r.source(), r.destination(), r.loadVector());
    }
}
