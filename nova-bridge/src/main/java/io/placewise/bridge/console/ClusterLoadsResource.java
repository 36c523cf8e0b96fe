package io.placewise.bridge.console;

import io.placewise.service.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.placewise.model.HotspotDetector;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/cluster/loads} (role: reader): every host's load, forecast and hotspot marks as columns,
 * what the dashboard's heat map polls. {@code GET /v1/hosts} says the same per host, in objects.
 */
@Path("/v1/cluster/loads")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterLoadsResource {
    private final ClusterLoadsService loads;

    public ClusterLoadsResource(ClusterLoadsService loads) {
        this.loads = loads;
    }

    /** Role: reader (GET). */
    @GET
    @RolesAllowed(Roles.READER)
    public Map<String, Object> get() {
        ClusterLoads l = loads.current();
        HotspotDetector d = l.detector();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hosts", l.hosts());
        out.put("cpu_util", l.cpuUtil());
        out.put("mem_util", l.memUtil());
        out.put("nic_util", l.nicUtil());
        out.put("swap_writes_per_s", l.swapWritesPerS());
        out.put("forecast", Map.of("cpu_util", l.forecastCpuUtil(), "mem_util", l.forecastMemUtil(),
                "nic_util", l.forecastNicUtil(), "swap_writes_per_s", l.forecastSwapWritesPerS()));
        out.put("hotspot", l.hotspot());
        out.put("forecast_hotspot", l.forecastHotspot());
        out.put("enabled", l.enabled());
        if (l.stale() != null) {
            out.put("stale", l.stale());
        }
        out.put("vm_count", l.vmCount());
        out.put("thresholds", Map.of("cpu_util", d.cpuThreshold(), "swap_writes_per_s", d.swapWritesThreshold(),
                "nic_util", d.nicThreshold()));
        out.put("c_avg", l.imbalance().cAvg());
        out.put("c_m", l.imbalance().cM());
        return out;
    }
}
