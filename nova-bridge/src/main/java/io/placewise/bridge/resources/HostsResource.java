package io.placewise.bridge.resources;

import io.placewise.bridge.api.ClusterDtos.HostStateDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.api.SampleMapper;
import io.placewise.service.http.ApiProblem;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

    @GET
    public List<HostStateDto> list() {
        ClusterSnapshot s = cluster.current();
        return s.hosts().stream().map(h -> ClusterMapper.hostState(s, h, false)).toList();
    }

    @GET
    @Path("{name}")
    public HostStateDto get(@PathParam("name") String name) {
        ClusterSnapshot s = cluster.current();
        return ClusterMapper.hostState(s, known(s, name), true);
    }

    @POST
    @Path("{name}/samples")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(@PathParam("name") String name, SampleDto report) {
        SampleDto body = peers.resolve(name, report); // NIC traffic's peers named by address (agents' traffic)
        ClusterSnapshot s = cluster.current();
        Host host = known(s, name);
        SampleMapper.Report checked = SampleMapper.apply(s, host, body);
        cluster.recordSample(name, checked.sample(), before -> before == s ? checked.after()
                : SampleMapper.apply(before, known(before, name), body).after());
        return Response.accepted(Map.of("host", name, "at", checked.sample().at().toString())).build();
    }

    private static Host known(ClusterSnapshot s, String name) {
        Host h = s.host(name);
        if (h == null) {
            throw ApiProblem.notFound("unknown host '" + name + "'");
        }
        return h;
    }
}
