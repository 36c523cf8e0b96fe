package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.service.auth.TrustedPeersMayCall;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalRequestDto;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalResponse;
import io.placewise.bridge.api.NovaSpecMapper;
import io.placewise.bridge.metrics.ClusterMetrics;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.NovaExternalScheduler;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@code POST /scheduler/nova/external}: the external-scheduler hook of SAP's Nova fork (NOVA.md, docs/nova.md). */
@Path("/scheduler/nova/external")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class NovaExternalResource {
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final NovaExternalScheduler scheduler;
    private final Supplier<List<HistoryRecord>> history;
    private final Timer timer;

    /** @param history the balancer's history records, newest first, for the history-aware weighers */
    public NovaExternalResource(ClusterStore cluster, PolicyStore policies, NovaExternalScheduler scheduler, MeterRegistry metrics,
                                Supplier<List<HistoryRecord>> history) {
        this.cluster = cluster;
        this.policies = policies;
        this.scheduler = scheduler;
        this.history = history;
        this.timer = ClusterMetrics.decisionTimer(metrics, "nova_external");
    }

    /** Role: service, or no token from a peer in {@code [nova_external] allow_unauthenticated_from}. */
    @POST
    @RolesAllowed(Roles.SERVICE)
    @TrustedPeersMayCall
    public NovaExternalResponse decide(NovaExternalRequestDto body) {
        ClusterSnapshot snapshot = cluster.current();
        var question = NovaSpecMapper.toQuestion(body, snapshot);
        long t0 = System.nanoTime();
        var decision = scheduler.decide(question, snapshot, policies.current(), history.get());
        long nanos = System.nanoTime() - t0;
        timer.record(nanos, TimeUnit.NANOSECONDS);
        DecisionLog.decided("nova_external", question.plan().spec().instanceUuid(), decision.hosts(), decision.dropped().size(),
                decision.hosts().size() + decision.dropped().size(), nanos / 1e6);
        return new NovaExternalResponse(decision.hosts());
    }
}
