package io.placewise.migrator.agent.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.migrator.agent.api.SampleDtos.Sample;
import io.placewise.migrator.agent.profiler.Profiler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/stats}: the node's latest profiler sample, in the bridge's samples shape. */
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {
    private final Profiler profiler;

    public StatsResource(Profiler profiler) {
        this.profiler = profiler;
    }

    @GET
    @RolesAllowed(Roles.READER)
    public Sample stats() {
        return profiler.latest();
    }
}
