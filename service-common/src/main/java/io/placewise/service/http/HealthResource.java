package io.placewise.service.http;

import jakarta.annotation.security.PermitAll;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.placewise.service.store.Database;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code /healthz} (open; 200 when the service and its database answer) and {@code /metrics} (Prometheus text format). */
@Path("/")
public final class HealthResource {
    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final java.util.function.Supplier<Map<String, String>> extra;

    public HealthResource(Database db, PrometheusMeterRegistry registry) {
        this(db, registry, Map::of);
    }

    /** @param extra more fields of the answer (the bridge's {@code balancer} role) */
    public HealthResource(Database db, PrometheusMeterRegistry registry, java.util.function.Supplier<Map<String, String>> extra) {
        this.db = db;
        this.registry = registry;
        this.extra = extra;
    }

    @GET
    @Path("healthz")
    @Produces(MediaType.APPLICATION_JSON)
    @PermitAll
    public Response health() {
        boolean dbOk = db.isHealthy();
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("status", dbOk ? "ok" : "failing");
        body.put("database", dbOk ? "ok" : "unreachable");
        body.putAll(extra.get());
        return Response.status(dbOk ? 200 : 503).entity(body).build();
    }

    @GET
    @Path("metrics")
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @PermitAll
    public String metrics() {
        return registry.scrape();
    }
}
