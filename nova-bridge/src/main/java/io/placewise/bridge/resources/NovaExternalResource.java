package io.placewise.bridge.resources;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalRequestDto;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalResponse;
import io.placewise.bridge.api.NovaSpecMapper;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.NovaExternalScheduler;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.model.ClusterSnapshot;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /scheduler/nova/external}: the external-scheduler hook of SAP's Nova fork (NOVA.md). */
@Path("/scheduler/nova/external")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class NovaExternalResource {
    private final ClusterStore cluster;
    private final PolicyStore policies;
    private final NovaExternalScheduler scheduler;
    private final Timer timer;

    public NovaExternalResource(ClusterStore cluster, PolicyStore policies, NovaExternalScheduler scheduler, MeterRegistry metrics) {
        this.cluster = cluster;
        this.policies = policies;
        this.scheduler = scheduler;
        this.timer = Timer.builder("placewise.decision").description("time the placement core spent deciding")
                .tag("hook", "nova_external").publishPercentiles(0.5, 0.99).register(metrics);
    }

    @POST
    public NovaExternalResponse decide(NovaExternalRequestDto body) {
        ClusterSnapshot snapshot = cluster.current();
        var question = NovaSpecMapper.toQuestion(body, snapshot);
        long t0 = System.nanoTime();
        var decision = scheduler.decide(question, snapshot, policies.current());
        long nanos = System.nanoTime() - t0;
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        DecisionLog.decided("nova_external", question.spec().instanceUuid(), decision.hosts(), decision.dropped().size(),
                decision.hosts().size() + decision.dropped().size(), nanos / 1e6);
        return new NovaExternalResponse(decision.hosts());
    }
}
