package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.nova.NovaApiException;
import io.placewise.bridge.nova.NovaClusterSync;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.service.http.ApiProblem;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/cluster/sync} (admin): replaces the live cluster with Nova's hypervisors and
 * servers, keeping what only Placewise measures (see {@link NovaClusterSync#mergedWith}).
 */
@Path("/v1/cluster/sync")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterSyncResource {
    private final ClusterStore cluster;
    private final NovaClusterSync sync;

    /** @param sync null when {@code [nova]} is not configured: the call then answers 503 */
    public ClusterSyncResource(ClusterStore cluster, NovaClusterSync sync) {
        this.cluster = cluster;
        this.sync = sync;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public ClusterDto sync() {
        if (sync == null) {
            throw new ApiProblem(503, "Service Unavailable", "Nova is not configured: set [nova] auth_url, username,"
                    + " password and project_name in placewise.conf", null);
        }
        ClusterDto next;
        try {
            next = sync.mergedWith(ClusterMapper.toDto(cluster.current()));
        } catch (NovaApiException e) {
            // Nova's or Keystone's own words; they never contain the token or the password.
            throw new ApiProblem(502, "Bad Gateway", "Nova sync failed, nothing was changed: " + e.getMessage(), null);
        }
        return ClusterMapper.toDto(cluster.replace(ClusterMapper.toSnapshot(next)));
    }
}
