package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The bridge's REST API over HTTP/1.1 with the token in {@code X-Auth-Token}; failures become {@link ApiException}. */
public final class BridgeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration timeout;

    public BridgeClient(String url, String token, Duration timeout) {
        String u = url.endsWith("/") ? url : url + "/";
        this.base = URI.create(u);
        this.token = token;
        this.timeout = timeout;
        // Plain HTTP/1.1: the JDK client's h2c upgrade stalls Grizzly on request bodies (STACK.md).
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A path segment, percent-encoded (host names and ids come from the operator). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null && !token.isBlank()) {
            b.header("X-Auth-Token", token);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the bridge at " + base + " (is it running? --os-url / PLACEWISE_URL)", null);
        } catch (IOException e) {
            throw new ApiException(0, "talking to the bridge at " + base + " failed: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null);
        }
        JsonNode json = parse(r);
        if (r.statusCode() >= 400) {
            String detail = json != null && json.hasNonNull("detail") ? json.get("detail").asText()
                    : json != null && json.hasNonNull("title") ? json.get("title").asText() : r.body();
            throw new ApiException(r.statusCode(), detail, json == null ? null : json.get("errors"));
        }
        return json == null ? JSON.nullNode() : json;
    }

    private static JsonNode parse(HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") || r.body().isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** A refused or failed call: the problem's detail, its field errors, and the HTTP status (0: no answer). */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final transient JsonNode errors;

        public ApiException(int status, String detail, JsonNode errors) {
            super(detail);
            this.status = status;
            this.errors = errors;
        }

        public int status() {
            return status;
        }

        public JsonNode errors() {
            return errors;
        }
    }
}
