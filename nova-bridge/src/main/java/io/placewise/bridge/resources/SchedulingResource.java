package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.placewise.bridge.api.SchedulingDtos.FilterResponse;
import io.placewise.bridge.api.SchedulingDtos.SchedulingRequestDto;
import io.placewise.bridge.api.SchedulingDtos.SelectResponse;
import io.placewise.bridge.api.SchedulingDtos.WeighResponse;
import io.placewise.bridge.api.SchedulingMapper;
import io.placewise.bridge.metrics.ClusterMetrics;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.model.Host;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PlacementRequest;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.Rejection;
import java.util.ArrayList;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.function.Supplier;
import io.placewise.model.HistoryRecord;
import java.util.concurrent.TimeUnit;

/** The scheduling hooks: {@code /v1/filter}, {@code /v1/weigh}, {@code /v1/select}. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SchedulingResource {
    private final ClusterStore cluster;
    private final Supplier<List<HistoryRecord>> history;
    private final PolicyStore policies;
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final int maxAlternates;
    private final int maxWeighed;
    private final Timer filterTimer;
    private final Timer weighTimer;
    private final Timer selectTimer;

    public SchedulingResource(ClusterStore cluster, PolicyStore policies, int maxAlternates, int maxWeighed, MeterRegistry metrics) {
        this(cluster, policies, maxAlternates, maxWeighed, metrics, List::of);
    }

    /** @param history the balancer's history records, newest first, for the history-aware weighers */
    public SchedulingResource(ClusterStore cluster, PolicyStore policies, int maxAlternates, int maxWeighed, MeterRegistry metrics,
                              Supplier<List<HistoryRecord>> history) {
        this.history = history;
        this.cluster = cluster;
        this.policies = policies;
        this.maxAlternates = maxAlternates;
        this.maxWeighed = maxWeighed;
        this.filterTimer = decisionTimer(metrics, "filter");
        this.weighTimer = decisionTimer(metrics, "weigh");
        this.selectTimer = decisionTimer(metrics, "select");
    }

    private static Timer decisionTimer(MeterRegistry metrics, String hook) {
        return ClusterMetrics.decisionTimer(metrics, hook);
    }

    @POST
    @Path("filter")
    @RolesAllowed(Roles.SERVICE)
    public FilterResponse filter(SchedulingRequestDto body) {
        SchedulingMapper.Framed framed = SchedulingMapper.frame(body, cluster.current(), history.get());
        PlacementRequest request = framed.request();
        long t0 = System.nanoTime();
        PlacementPipeline.FilterOutcome out = framed.runFilters() ? pipeline.filter(request, policies.current())
                : new PlacementPipeline.FilterOutcome(request.candidates(), List.of());
        long nanos = System.nanoTime() - t0;
        filterTimer.record(nanos, TimeUnit.NANOSECONDS);
        List<Rejection> rejected = new ArrayList<>(framed.excluded());
        rejected.addAll(out.rejected());
        List<String> passed = out.passed().stream().map(Host::name).toList();
        DecisionLog.decided("filter", request.spec().instanceUuid(), passed, rejected.size(), passed.size() + rejected.size(),
                nanos / 1e6);
        return new FilterResponse(passed, SchedulingMapper.rejections(rejected), nanos / 1e6);
    }

    @POST
    @Path("weigh")
    @RolesAllowed(Roles.SERVICE)
    public WeighResponse weigh(SchedulingRequestDto body) {
        PlacementRequest request = SchedulingMapper.frame(body, cluster.current(), history.get()).request();
        PlacementResult r = pipeline.weigh(request, policies.current());
        weighTimer.record((long) (r.decisionMs() * 1e6), TimeUnit.NANOSECONDS);
        DecisionLog.decided("weigh", request.spec().instanceUuid(), r.selected(), r.rejected().size(),
                r.passed().size() + r.rejected().size(), r.decisionMs());
        return new WeighResponse(SchedulingMapper.weighed(r, r.weighed(), true), r.decisionMs());
    }

    @POST
    @Path("select")
    @RolesAllowed(Roles.SERVICE)
    public SelectResponse select(SchedulingRequestDto body) {
        SchedulingMapper.Framed framed = SchedulingMapper.frame(body, cluster.current(), history.get());
        PlacementResult r = pipeline.select(framed.request(), policies.current());
        selectTimer.record((long) (r.decisionMs() * 1e6), TimeUnit.NANOSECONDS);
        List<Rejection> rejected = new ArrayList<>(framed.excluded());
        rejected.addAll(r.rejected());
        DecisionLog.decided("select", framed.request().spec().instanceUuid(), r.selected(), rejected.size(),
                r.passed().size() + rejected.size(), r.decisionMs());
        return new SelectResponse(r.selected(), r.alternates(maxAlternates), SchedulingMapper.weighed(r, r.top(maxWeighed), false),
                SchedulingMapper.rejections(rejected), r.passed().size(), r.decisionMs());
    }
}
