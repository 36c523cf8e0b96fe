package io.placewise.bridge.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;
import java.util.List;

/** Times every request by method, route template (not raw path: bounded cardinality) and status. */
@PreMatching
public final class MetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String START = MetricsFilter.class.getName() + ".start";
    private final MeterRegistry registry;

    public MetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object start = request.getProperty(START);
        if (!(start instanceof Long t0)) {
            return;
        }
        String route = "UNMATCHED";
        if (request.getUriInfo() instanceof ExtendedUriInfo ext) {
            List<UriTemplate> templates = ext.getMatchedTemplates();
            if (!templates.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (int i = templates.size() - 1; i >= 0; i--) {
                    sb.append(templates.get(i).getTemplate());
                }
                route = sb.toString().replace("//", "/");
            }
        }
        Timer.builder("placewise.http.requests")
                .description("HTTP requests served")
                .tag("method", request.getMethod())
                .tag("route", route)
                .tag("status", Integer.toString(response.getStatus()))
                .register(registry)
                .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
