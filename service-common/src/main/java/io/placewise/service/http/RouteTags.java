package io.placewise.service.http;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Set;
import org.glassfish.jersey.micrometer.server.JerseyTags;
import org.glassfish.jersey.micrometer.server.JerseyTagsProvider;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.monitoring.RequestEvent;

/**
 * Labels of {@code placewise_http_requests_seconds} from closed sets, so no client can add series:
 * {@code method} is one of the HTTP methods the services answer (an invented one is {@code OTHER}),
 * {@code route} the matched route template (Jersey's: {@code NOT_FOUND} when nothing matched),
 * {@code status} the answer's status.
 */
final class RouteTags implements JerseyTagsProvider {
    static final String METRIC = "placewise.http.requests";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Override
    public Iterable<Tag> httpRequestTags(RequestEvent event) {
        return Tags.of(method(event.getContainerRequest()), Tag.of("route", JerseyTags.uri(event).getValue()),
                Tag.of("status", event.getContainerResponse() == null ? "500"
                        : Integer.toString(event.getContainerResponse().getStatus())));
    }

    @Override
    public Iterable<Tag> httpLongRequestTags(RequestEvent event) {
        return Tags.of(method(event.getContainerRequest()), Tag.of("route", JerseyTags.uri(event).getValue()));
    }

    static Tag method(ContainerRequest request) {
        String m = request == null ? null : request.getMethod();
        String upper = m == null ? "" : m.toUpperCase(Locale.ROOT);
        return Tag.of("method", METHODS.contains(upper) ? upper : "OTHER");
    }
}
