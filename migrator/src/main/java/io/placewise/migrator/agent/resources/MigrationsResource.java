package io.placewise.migrator.agent.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.migrator.HypervisorException;
import io.placewise.migrator.agent.api.MigrationDtos.Accepted;
import io.placewise.migrator.agent.api.MigrationDtos.MigrationRequest;
import io.placewise.migrator.agent.api.MigrationDtos.MigrationView;
import io.placewise.migrator.agent.api.MigrationMapper;
import io.placewise.migrator.agent.service.MigrationService;
import io.placewise.migrator.agent.store.MigrationRecord;
import io.placewise.precopy.MigrationStrategy;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * {@code /v1/migrations} (API.md "Migrator agent"): order a live migration of a domain running
 * here, watch it round by round, abort it. An order is checked in full before anything is stored.
 */
@Path("/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
public final class MigrationsResource {
    private final MigrationService migrations;
    private final long defaultMaxDowntimeMs;
    private final boolean defaultToleratesSlowing;

    public MigrationsResource(MigrationService migrations, long defaultMaxDowntimeMs, boolean defaultToleratesSlowing) {
        this.migrations = migrations;
        this.defaultMaxDowntimeMs = defaultMaxDowntimeMs;
        this.defaultToleratesSlowing = defaultToleratesSlowing;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    public Response order(MigrationRequest body) {
        RequestValidator.require(body);
        MigrationStrategy strategy = body.strategy() == null ? MigrationStrategy.AUTO
                : MigrationStrategy.fromWire(body.strategy());
        MigrationRecord r;
        try {
            r = migrations.submit(body.domain(), body.destinationUri(), strategy,
                    body.maxDowntimeMs() != null ? body.maxDowntimeMs() : defaultMaxDowntimeMs, body.bandwidthMbps(),
                    body.guestToleratesSlowing() != null ? body.guestToleratesSlowing() : defaultToleratesSlowing);
        } catch (MigrationService.DomainNotHereException e) {
            throw new ApiProblem(404, "Not Found", e.getMessage(),
                    List.of(new Problem.FieldError("domain", "not running on this host")));
        } catch (MigrationService.DomainBusyException e) {
            throw new ApiProblem(409, "Conflict", e.getMessage(), null);
        } catch (HypervisorException e) {
            throw new ApiProblem(503, "Service Unavailable", "the hypervisor did not answer; nothing was stored: "
                    + e.getMessage(), null);
        } catch (IllegalStateException e) {
            throw new ApiProblem(503, "Service Unavailable", e.getMessage(), null);
        }
        return Response.accepted(new Accepted(r.id(), r.state().wireName()))
                .location(URI.create("/v1/migrations/" + r.id())).build();
    }

    /** Every migration this agent ran or runs, newest first. */
    @GET
    @RolesAllowed(Roles.READER)
    public List<MigrationView> list() {
        return migrations.list().stream().map(MigrationMapper::view).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.READER)
    public MigrationView get(@PathParam("id") String id) {
        return MigrationMapper.view(known(id));
    }

    /**
     * Aborts: 202 while the hypervisor stops the job (the VM stays here, its share is restored),
     * 200 when it had not started; 409 once in post-copy (the destination holds the newest pages)
     * or already over.
     */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.SERVICE)
    public Response abort(@PathParam("id") String id) {
        known(id);
        return switch (migrations.abort(id)) {
            case ABORTING -> Response.accepted(MigrationMapper.view(known(id))).build();
            case ABORTED_BEFORE_START -> Response.ok(MigrationMapper.view(known(id))).build();
            case IN_POST_COPY -> throw new ApiProblem(409, "Conflict", "migration " + id
                    + " is in post-copy: the destination holds the newest memory, so it cannot be aborted", null);
            case ALREADY_OVER -> throw new ApiProblem(409, "Conflict", "migration " + id + " is already "
                    + known(id).state().wireName() + "; nothing to abort", null);
        };
    }

    private MigrationRecord known(String id) {
        return migrations.find(id).orElseThrow(() -> ApiProblem.notFound("no migration '" + id + "'"));
    }
}
