package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.balancer.Goal;
import io.placewise.bridge.api.BalancerDtos.AuditDto;
import io.placewise.bridge.api.BalancerDtos.AuditSummaryDto;
import io.placewise.bridge.api.BalancerDtos.AuditRequestDto;
import io.placewise.bridge.api.BalancerDtos.ExecutionAnswerDto;
import io.placewise.bridge.api.BalancerMapper;
import io.placewise.bridge.api.BalancerDtos.HistoryDto;
import io.placewise.bridge.api.BalancerDtos.MigrationDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.service.BalancerService;
import io.placewise.model.ClusterSnapshot;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** The balancer's API: audits, their execution, the migrations it ran and the history record (API.md "Balancer"). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class BalancerResource {
    private final BalancerService balancer;

    public BalancerResource(BalancerService balancer) {
        this.balancer = balancer;
    }

    /** Role: admin. {@code dry_run} defaults to true; {@code dry_run: false} executes the plan at once. */
    @POST
    @Path("audits")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response audit(AuditRequestDto body) {
        RequestValidator.require(body);
        ClusterSnapshot whatIf = null;
        if (body.cluster() != null) {
            // Field names in errors are relative to the snapshot, as for PUT /v1/cluster.
            whatIf = ClusterMapper.toSnapshot(body.cluster());
        }
        boolean dryRun = body.dryRun() == null || body.dryRun();
        if (!dryRun && whatIf != null) {
            throw ApiProblem.invalid("a what-if audit (inline cluster) cannot be executed; use dry_run = true",
                    List.of(new Problem.FieldError("dry_run", "must be true with an inline cluster")));
        }
        BalancerService.AuditView audit = balancer.audit(Goal.fromWire(body.goal()).orElseThrow(), dryRun, whatIf);
        return Response.created(URI.create("/v1/audits/" + audit.audit().id())).entity(dto(audit)).build();
    }

    private static AuditDto dto(BalancerService.AuditView v) {
        return BalancerMapper.audit(v.audit(), v.steps(), v.switches());
    }

    /** Role: reader (GET). The newest audits first; {@code limit} 1–1000 (default 50). */
    @GET
    @Path("audits")
    @RolesAllowed(Roles.READER)
    public List<AuditSummaryDto> audits(@QueryParam("limit") String limit) {
        int n = 50;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 1000) {
                throw ApiProblem.invalid("limit must be an integer from 1 to 1000",
                        List.of(new Problem.FieldError("limit", "must be an integer from 1 to 1000, was '" + limit + "'")));
            }
        }
        return balancer.audits(n).stream().map(BalancerMapper::summary).toList();
    }

    /** Role: reader (GET). */
    @GET
    @Path("audits/{id}")
    @RolesAllowed(Roles.READER)
    public AuditDto get(@PathParam("id") String id) {
        return dto(balancer.audit(id).orElseThrow(() -> ApiProblem.notFound("no audit with id '" + id + "'")));
    }

    /** Role: admin. 202: the steps are queued and start as the limits allow. */
    @POST
    @Path("audits/{id}/execute")
    @RolesAllowed(Roles.ADMIN)
    public Response execute(@PathParam("id") String id) {
        return Response.accepted(answer(mapped(() -> balancer.execute(id)))).build();
    }

    /** Role: admin. 202: steps not yet started are cancelled; running ones go on. */
    @POST
    @Path("audits/{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(answer(mapped(() -> balancer.cancel(id)))).build();
    }

    private ExecutionAnswerDto answer(BalancerService.AuditView v) {
        return BalancerMapper.answer(v.audit(), v.steps(), v.rows().stream()
                .map(r -> BalancerMapper.migration(r.step(), r.updatedAt())).toList());
    }

    /** The service's domain exceptions as problems: unknown audit 404, wrong state 409. */
    private static BalancerService.AuditView mapped(java.util.function.Supplier<BalancerService.AuditView> call) {
        try {
            return call.get();
        } catch (BalancerService.NoSuchAudit e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (BalancerService.NotPossible e) {
            throw new ApiProblem(409, "Conflict", e.getMessage(), null);
        }
    }

    /** Role: reader (GET). */
    @GET
    @Path("migrations")
    @RolesAllowed(Roles.READER)
    public List<MigrationDto> migrations() {
        return balancer.migrations().stream().map(r -> BalancerMapper.migration(r.step(), r.updatedAt())).toList();
    }

    /** Role: reader (GET). */
    @GET
    @Path("migrations/{id}")
    @RolesAllowed(Roles.READER)
    public MigrationDto migration(@PathParam("id") String id) {
        return balancer.migration(id).map(r -> BalancerMapper.migration(r.step(), r.updatedAt()))
                .orElseThrow(() -> ApiProblem.notFound("no migration with id '" + id + "'"));
    }

    /** Role: reader (GET). */
    @GET
    @Path("history")
    @RolesAllowed(Roles.READER)
    public List<HistoryDto> history() {
        return balancer.history().stream().map(BalancerMapper::history).toList();
    }
}
