package io.placewise.bridge.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.bridge.api.NovaExternalDtos.NovaExternalResponse;
import io.placewise.service.api.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SAP's Nova fork will do with each answer of {@code POST /scheduler/nova/external}, made
 * visible. Every error status makes the fork use Nova's own order instead of Placewise's (after
 * retrying it, except a 400), and the fork only logs "Failed to call external scheduler API:
 * &lt;status&gt; Client Error: &lt;reason phrase&gt;". So each such answer is counted in
 * {@code placewise_nova_external_answers_total{outcome="fallback",status=…}} and logged here, and its
 * reason phrase carries the problem's detail, which is the only part of the answer the fork logs.
 * Answers with hosts and empty answers (Nova's "no valid host") are counted too.
 */
@Priority(Priorities.USER)
public final class NovaExternalAnswers implements ContainerResponseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(NovaExternalAnswers.class);
    static final String PATH = "scheduler/nova/external";
    private static final long LOG_EVERY_MS = 60_000;
    private static final int MAX_REASON = 200;

    private final MeterRegistry metrics;
    private final Counter withHosts;
    private final Counter noValidHost;
    private final Map<Integer, Long> lastLogged = new ConcurrentHashMap<>();

    public NovaExternalAnswers(MeterRegistry metrics) {
        this.metrics = metrics;
        this.withHosts = answers("hosts", "200");
        this.noValidHost = answers("no_valid_host", "200");
    }

    private Counter answers(String outcome, String status) {
        return Counter.builder("placewise.nova.external.answers")
                .description("answers to SAP's Nova fork; outcome=fallback makes it use Nova's own order")
                .tag("outcome", outcome).tag("status", status).register(metrics);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return;
        }
        int status = response.getStatus();
        if (status < 400) {
            Object entity = response.getEntity();
            boolean empty = entity instanceof NovaExternalResponse r && r.hosts().isEmpty();
            (empty ? noValidHost : withHosts).increment();
            return;
        }
        answers("fallback", Integer.toString(status)).increment();
        String reason = reason(status, response.getEntity());
        response.setStatusInfo(new Reason(status, reason));
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(status);
        if (last == null || now - last >= LOG_EVERY_MS) {
            lastLogged.put(status, now);
            LOG.warn("answered {} to Nova's external-scheduler call: SAP's fork {} and then schedules with Nova's own"
                    + " order, without Placewise ({}; counted in placewise_nova_external_answers_total)", status,
                    status == 400 ? "does not retry it" : "retries it (external_scheduler_retries)", LogSafe.of(reason));
        }
    }

    /** "Title: detail (field: message)", printable ASCII only: a status line carries nothing else. */
    static String reason(int status, Object entity) {
        String text;
        if (entity instanceof Problem p) {
            StringBuilder b = new StringBuilder(p.title() == null ? "" : p.title());
            if (p.detail() != null) {
                b.append(": ").append(p.detail());
            }
            if (p.errors() != null && !p.errors().isEmpty()) {
                Problem.FieldError first = p.errors().get(0);
                b.append(" (").append(first.field()).append(": ").append(first.message());
                if (p.errors().size() > 1) {
                    b.append("; +").append(p.errors().size() - 1).append(" more");
                }
                b.append(')');
            }
            text = b.toString();
        } else {
            Response.Status known = Response.Status.fromStatusCode(status);
            text = known == null ? "Error" : known.getReasonPhrase();
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON));
        for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private static final class Reason implements Response.StatusType {
        private final int status;
        private final String phrase;

        Reason(int status, String phrase) {
            this.status = status;
            this.phrase = phrase;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.familyOf(status);
        }

        @Override
        public String getReasonPhrase() {
            return phrase;
        }
    }
}
