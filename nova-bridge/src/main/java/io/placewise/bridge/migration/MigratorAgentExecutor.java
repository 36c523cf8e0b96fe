package io.placewise.bridge.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs migrations through the migrator agent of the source host ({@code POST/GET /v1/migrations} of
 * API.md), found at {@code [balancer] migrator_url_template}.
 */
public final class MigratorAgentExecutor implements MigrationExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String urlTemplate;
    private final String token;
    private final String destinationUriTemplate;

    public MigratorAgentExecutor(String urlTemplate, String token, String destinationUriTemplate) {
        this.urlTemplate = urlTemplate;
        this.token = token == null ? "" : token;
        this.destinationUriTemplate = destinationUriTemplate;
    }

    private String agent(String host) {
        String base = urlTemplate.replace("{host}", host);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public String start(Request r) throws MigrationException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", r.vm());
        body.put("destination_uri", destinationUriTemplate.replace("{host}", r.destination()));
        body.put("strategy", r.strategy() == null ? "auto" : r.strategy());
        Map<String, Object> answer = call("POST", agent(r.source()) + "/v1/migrations", body, r.source());
        Object id = answer.get("id");
        if (id == null) {
            throw new MigrationException("migrator agent of " + r.source() + " answered without an id", null);
        }
        return id.toString();
    }

    @Override
    public Status status(Request r, String handle) throws MigrationException {
        Map<String, Object> answer = call("GET", agent(r.source()) + "/v1/migrations/" + handle, null, r.source());
        Object state = answer.get("state");
        Object error = answer.get("error");
        return new Status(state == null ? "unknown" : state.toString(), answer, error == null ? null : error.toString());
    }

    private Map<String, Object> call(String method, String url, Object body, String host) throws MigrationException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
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
            if (resp.statusCode() / 100 != 2) {
                String text = resp.body() == null ? "" : resp.body();
                throw new MigrationException("migrator agent of " + host + " answered " + method + " " + url + " with "
                        + resp.statusCode() + ": " + text.substring(0, Math.min(500, text.length())), null);
            }
            return resp.body() == null || resp.body().isBlank() ? Map.of() : JSON.readValue(resp.body(), OBJECT);
        } catch (JsonProcessingException e) {
            throw new MigrationException("migrator agent of " + host + " answered with invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MigrationException("migrator agent of " + host + " at " + url + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while calling the migrator agent of " + host, e);
        } catch (IllegalArgumentException e) {
            throw new MigrationException("bad migrator agent URL " + url + ": " + e.getMessage(), e);
        }
    }
}
