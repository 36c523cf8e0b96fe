package io.placewise.bridge.resources;

import io.placewise.bridge.api.ClusterDtos.HostStateDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.api.SampleMapper;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.service.auth.Roles;
import io.placewise.service.http.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /v1/hosts}: host state with samples and forecast; profiler reports come in here. */
@Path("/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
public final class HostsResource {
    private final ClusterStore cluster;
    private final io.placewise.bridge.service.PeerAddressBook peers = new io.placewise.bridge.service.PeerAddressBook();

    public HostsResource(ClusterStore cluster) {
        this.cluster = cluster;
    }

    /** Role: reader. */
    @GET
    @RolesAllowed(Roles.READER)
    public List<HostStateDto> list() {
        ClusterSnapshot s = cluster.current();
        return s.hosts().stream().map(h -> ClusterMapper.hostState(s, h, false)).toList();
    }

    /** Role: reader. */
    @GET
    @Path("{name}")
    @RolesAllowed(Roles.READER)
    public HostStateDto get(@PathParam("name") String name) {
        ClusterSnapshot s = cluster.current();
        Host h = s.host(name);
        if (h == null) {
            throw ApiProblem.notFound("unknown host '" + name + "'");
        }
        return ClusterMapper.hostState(s, h, true);
    }

    /**
     * Role: service. One profiler report: 202 once it is on disk (it shares a transaction with the
     * reports that arrived with it); 404 for an unknown host that the report does not register.
     * Synchronous: the server has already received the whole body without a worker thread
     * ({@code BodyFirstHandler} suspends the request for that), and a request suspended once cannot
     * be suspended again for Jersey's asynchronous responses. The wait is the group commit's.
     */
    @POST
    @Path("{name}/samples")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    public Response report(@PathParam("name") String name, SampleDto body) {
        // NIC traffic's peers named by address (the agents' measured traffic) become traffic to VMs.
        SampleMapper.Report report = SampleMapper.parse(name, peers.resolve(name, body), cluster.clock().instant());
        Instant at = cluster.apply(e -> SampleMapper.apply(e, report, cluster.window()));
        return Response.accepted(Map.of("host", name, "at", at.toString())).build();
    }
}
