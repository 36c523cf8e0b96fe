package io.placewise.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The test harnesses' HTTP client (the bridge's and the agent's): one call with a token, its JSON body read. */
public final class JsonHttp {
    public static final ObjectMapper JSON = new ObjectMapper();
    // Plain HTTP/1.1: the JDK client's h2c upgrade makes Grizzly stall on request bodies.
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private JsonHttp() {
    }

    /** An answer: its status, content type, body as JSON (null unless JSON) and as text. */
    public record Answer(int status, String contentType, JsonNode json, String text, HttpResponse<String> raw) {
    }

    /** {@code method baseUrl+path} with {@code X-Auth-Token: token} and a JSON {@code body}; either may be null. */
    public static Answer send(String baseUrl, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return send(CLIENT, baseUrl, method, path, token, body);
    }

    /** As {@link #send(String, String, String, String, String)}, through {@code client} (one of the caller's own). */
    public static Answer send(HttpClient client, String baseUrl, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("Content-Type").orElse(null);
        JsonNode json = ct != null && ct.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
        return new Answer(r.statusCode(), ct, json, r.body(), r);
    }
}
