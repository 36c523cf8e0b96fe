package io.placewise.bridge.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.balancer.execution.MigrationExecutor;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs plan steps through the migrator agent of the source host (API.md "Migrator agent"), found at
 * {@code [balancer] migrator_url_template}: {@code POST/GET/DELETE /v1/migrations} and
 * {@code POST /v1/domains/{domain}/memory}. No answer, or a 5xx, is worth asking again; any 4xx is the
 * agent's final word.
 */
public final class MigratorAgentExecutor implements MigrationExecutor {
    public static final String NAME = "migrator";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> RESULT = new TypeReference<>() {
    };
    /** One call to an agent; a silent agent is retried by the plan executor, so this stays short. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String urlTemplate;
    private final String token;
    private final String destinationUriTemplate;
    private final Duration pollInterval;
    private final Duration migrationTimeout;

    /**
     * @param pollInterval      {@code [balancer] poll_interval_ms}
     * @param migrationTimeout  {@code [balancer] migration_timeout_s}
     */
    public MigratorAgentExecutor(String urlTemplate, String token, String destinationUriTemplate, Duration pollInterval,
                                 Duration migrationTimeout) {
        this.urlTemplate = urlTemplate;
        this.token = token == null ? "" : token;
        this.destinationUriTemplate = destinationUriTemplate;
        this.pollInterval = pollInterval;
        this.migrationTimeout = migrationTimeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public Duration migrationTimeout() {
        return migrationTimeout;
    }

    private String agent(String host) {
        String base = urlTemplate.replace("{host}", host);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String destinationUri(String host) {
        return destinationUriTemplate.replace("{host}", host);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String start(Order o) throws ExecutorException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", o.vm());
        body.put("destination_uri", destinationUri(o.destination()));
        body.put("strategy", o.strategy().wireName());
        body.put("guest_tolerates_slowing", o.toleratesSlowing());
        JsonNode answer = call("POST", agent(o.source()) + "/v1/migrations", body, o.source());
        String id = answer.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw ExecutorException.refused("migrator agent of " + o.source() + " answered without an id", null);
        }
        return id;
    }

    @Override
    public Status status(Order o, String handle) throws ExecutorException {
        JsonNode answer = call("GET", agent(o.source()) + "/v1/migrations/" + enc(handle), null, o.source());
        String state = answer.path("state").asText("");
        String error = answer.hasNonNull("error") ? answer.get("error").asText() : null;
        return new Status(state(state), null, JSON.convertValue(answer, RESULT), error);
    }

    /** The agent's states (API.md); anything else is taken as still running, which the timeout bounds. */
    static RemoteState state(String wire) {
        return switch (wire.toLowerCase(Locale.ROOT)) {
            case "queued" -> RemoteState.QUEUED;
            case "completed" -> RemoteState.COMPLETED;
            case "failed" -> RemoteState.FAILED;
            case "aborted" -> RemoteState.ABORTED;
            default -> RemoteState.RUNNING;
        };
    }

    /** {@code DELETE}: 202 (being stopped) or 200 (had not started); 409 in post-copy or once over. */
    @Override
    public boolean abort(Order o, String handle) throws ExecutorException {
        Answer a = send("DELETE", agent(o.source()) + "/v1/migrations/" + enc(handle), null, o.source());
        if (a.status() == 409) {
            return false;
        }
        a.orRefuse();
        return true;
    }

    /** The agent's newest migration of this domain to this destination created at or after {@code since}. */
    @Override
    public Optional<String> find(Order o, Instant since) throws ExecutorException {
        JsonNode list = call("GET", agent(o.source()) + "/v1/migrations", null, o.source());
        String uri = destinationUri(o.destination());
        String best = null;
        Instant bestAt = null;
        for (JsonNode m : list) {
            if (!o.vm().equals(m.path("domain").asText()) || !uri.equals(m.path("destination_uri").asText(uri))) {
                continue;
            }
            Instant at = instant(m.path("created_at").asText(null));
            if (at != null && !at.isBefore(since) && (bestAt == null || at.isAfter(bestAt))) {
                best = m.path("id").asText(null);
                bestAt = at;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code POST /v1/domains/{domain}/memory {"target_mb"}}: the memory the VM is given, as the agent
     * answers it ({@code target_mb}; the guest's {@code current_mb} reaches it within seconds).
     */
    @Override
    public long growMemory(String vm, String host, long targetMb) throws ExecutorException {
        JsonNode answer = call("POST", agent(host) + "/v1/domains/" + enc(vm) + "/memory", Map.of("target_mb", targetMb), host);
        for (String field : new String[] {"target_mb", "current_mb"}) {
            if (answer.path(field).canConvertToLong()) {
                return answer.path(field).asLong();
            }
        }
        return targetMb;
    }

    /** A 2xx or 4xx answer; {@code problem} says what a 4xx was. */
    private record Answer(int status, JsonNode json, String problem) {
        JsonNode orRefuse() throws ExecutorException {
            if (status / 100 != 2) {
                throw ExecutorException.refused(problem, null);
            }
            return json;
        }
    }

    private JsonNode call(String method, String url, Object body, String host) throws ExecutorException {
        return send(method, url, body, host).orRefuse();
    }

    /** One call; no answer or a 5xx throws {@link ExecutorException#unreachable}. */
    private Answer send(String method, String url, Object body, String host) throws ExecutorException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                    .header("Accept", "application/json");
            if (!token.isEmpty()) {
                b.header("X-Auth-Token", token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = resp.body() == null ? "" : resp.body();
            int status = resp.statusCode();
            if (status / 100 != 2) {
                String what = "migrator agent of " + host + " answered " + method + " " + URI.create(url).getPath() + " with "
                        + status + ": " + detail(text);
                if (status >= 500) {
                    throw ExecutorException.unreachable(what, null);
                }
                return new Answer(status, null, what);
            }
            return new Answer(status, text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text), null);
        } catch (JsonProcessingException e) {
            throw ExecutorException.refused("migrator agent of " + host + " answered with invalid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw ExecutorException.unreachable("migrator agent of " + host + " at " + agent(host) + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExecutorException.unreachable("interrupted while calling the migrator agent of " + host, e);
        } catch (IllegalArgumentException e) {
            throw ExecutorException.refused("bad migrator agent URL " + url + ": " + e.getMessage(), e);
        }
    }

    /** The problem+json {@code detail} when there is one, else the start of the body. */
    private static String detail(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("detail")) {
                return n.get("detail").asText();
            }
        } catch (IOException e) {
            // not JSON: show its start
        }
        return body.substring(0, Math.min(300, body.length()));
    }
}
