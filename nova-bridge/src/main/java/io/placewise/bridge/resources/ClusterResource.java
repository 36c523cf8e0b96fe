package io.placewise.bridge.resources;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.service.ClusterStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /v1/cluster}: the live snapshot, replaced as a whole. */
@Path("/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ClusterResource {
    private final ClusterStore cluster;

    public ClusterResource(ClusterStore cluster) {
        this.cluster = cluster;
    }

    @GET
    @RolesAllowed(Roles.READER)
    public ClusterDto get() {
        return ClusterMapper.toDto(cluster.current());
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    public ClusterDto replace(ClusterDto body) {
        return ClusterMapper.toDto(cluster.replace(ClusterMapper.toSnapshot(body)));
    }
}
