package io.placewise.bridge.nova;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.service.http.JsonMapperProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Keystone v3 password-auth session: {@code POST /v3/auth/tokens} scoped to the configured
 * project, the token from {@code X-Subject-Token}, reused until shortly before {@code expires_at},
 * and the compute endpoint from the token's catalog ({@code [nova] interface} and
 * {@code region_name}). Neither the token nor the password is ever logged.
 */
public final class KeystoneSession {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneSession.class);
    /** Renew this long before Keystone's expiry so that no call goes out with a dying token. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

    private final NovaConfig config;
    private final HttpClient http;
    private final Clock clock;
    private Token token;

    /** A token and what came with it. */
    record Token(String value, Instant expiresAt, String computeUrl) {
        @Override
        public String toString() {
            return "Token[expires_at=" + expiresAt + ", compute=" + computeUrl + "]";
        }
    }

    public KeystoneSession(NovaConfig config, HttpClient http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    /** The current token, issued anew when there is none or it is about to expire. */
    synchronized Token token() {
        if (token == null || !clock.instant().isBefore(token.expiresAt().minus(EXPIRY_MARGIN))) {
            token = issue();
        }
        return token;
    }

    /** Forgets the token (Nova answered 401 with it), so the next call authenticates again. */
    synchronized void invalidate(Token stale) {
        if (token == stale) {
            token = null;
        }
    }

    private Token issue() {
        ObjectNode body = JsonMapperProvider.MAPPER.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", config.username());
        user.putObject("domain").put("name", config.userDomainName());
        user.put("password", config.password());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", config.projectName());
        project.putObject("domain").put("name", config.projectDomainName());

        URI uri = URI.create(tokensUrl(config.authUrl()));
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis((long) (config.timeoutS() * 1000)))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NovaApiException.Unavailable(0, "Keystone at " + uri + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NovaApiException(0, "interrupted while authenticating", e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new NovaApiException.Unauthorized(r.statusCode(), "Keystone refused user '" + config.username()
                    + "' for project '" + config.projectName() + "': " + NovaClient.faultMessage(r.body()));
        }
        if (r.statusCode() >= 500) {
            throw new NovaApiException.Unavailable(r.statusCode(), "Keystone answered " + r.statusCode(), null);
        }
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new NovaApiException(r.statusCode(), "Keystone answered " + r.statusCode() + ": " + NovaClient.faultMessage(r.body()), null);
        }
        String value = r.headers().firstValue("X-Subject-Token").orElseThrow(() ->
                new NovaApiException(r.statusCode(), "Keystone answered without X-Subject-Token", null));
        JsonNode t;
        try {
            t = JsonMapperProvider.MAPPER.readTree(r.body()).path("token");
        } catch (IOException e) {
            throw new NovaApiException(r.statusCode(), "Keystone's token body is not JSON", e);
        }
        Instant expires;
        try {
            expires = Instant.parse(t.path("expires_at").asText());
        } catch (DateTimeParseException e) {
            // No usable expiry: treat the token as short-lived rather than eternal.
            expires = clock.instant().plus(EXPIRY_MARGIN.multipliedBy(2));
        }
        String compute = computeEndpoint(t.path("catalog"));
        LOG.info("authenticated to Keystone as '{}' (project '{}'); token valid until {}; compute endpoint {}",
                config.username(), config.projectName(), expires, compute);
        return new Token(value, expires, compute);
    }

    static String tokensUrl(String authUrl) {
        String base = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return (base.endsWith("/v3") ? base : base + "/v3") + "/auth/tokens";
    }

    private String computeEndpoint(JsonNode catalog) {
        String region = config.regionName();
        for (JsonNode service : catalog) {
            if (!"compute".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode e : service.path("endpoints")) {
                boolean iface = config.interfaceName().equals(e.path("interface").asText());
                boolean inRegion = region.isEmpty() || region.equals(e.path("region_id").asText())
                        || region.equals(e.path("region").asText());
                if (iface && inRegion) {
                    String url = e.path("url").asText();
                    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                }
            }
        }
        throw new NovaApiException(0, "the service catalog has no compute endpoint with interface '" + config.interfaceName()
                + "'" + (region.isEmpty() ? "" : " in region '" + region + "'") + " ([nova] interface, region_name)", null);
    }
}
