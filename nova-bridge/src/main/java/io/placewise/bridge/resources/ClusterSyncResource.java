package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.nova.NovaApiException;
import io.placewise.bridge.nova.NovaClusterSync;
import io.placewise.bridge.nova.NovaStateApplier;
import io.placewise.service.http.ApiProblem;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/cluster/sync} (admin): brings the live cluster to Nova's hypervisors, servers and
 * server groups now, keeping what only Placewise measures (see {@link NovaClusterSync#merge}); the
 * same sync {@code [nova] sync_interval_s} runs periodically.
 */
@Path("/v1/cluster/sync")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterSyncResource {
    private final NovaStateApplier applier;
    private final NovaClusterSync sync;

    /** @param sync null when {@code [nova]} is not configured: the call then answers 503 */
    public ClusterSyncResource(NovaStateApplier applier, NovaClusterSync sync) {
        this.applier = applier;
        this.sync = sync;
    }

    /** Role: admin. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    public ClusterDto sync() {
        if (sync == null) {
            throw new ApiProblem(503, "Service Unavailable", "Nova is not configured: set [nova] auth_url, username,"
                    + " password and project_name in placewise.conf", null);
        }
        try {
            return ClusterMapper.toDto(applier.sync(sync::fetch));
        } catch (NovaApiException e) {
            // Nova's or Keystone's own words; they never contain the token or the password.
            throw new ApiProblem(502, "Bad Gateway", "Nova sync failed, nothing was changed: " + e.getMessage(), null);
        }
    }
}
