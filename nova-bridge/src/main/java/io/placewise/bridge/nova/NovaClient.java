package io.placewise.bridge.nova;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.bridge.nova.NovaResources.Hypervisor;
import io.placewise.bridge.nova.NovaResources.Migration;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.service.http.JsonMapperProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's compute API over {@link KeystoneSession}: every call carries the token and the configured
 * microversion. 5xx answers and connection errors are retried with bounded exponential backoff;
 * a 401 renews the token once; 409 becomes {@link NovaApiException.Conflict} at once.
 */
public final class NovaClient {
    private static final Logger LOG = LoggerFactory.getLogger(NovaClient.class);
    /** Backoff doubles from this, capped at {@link #MAX_BACKOFF}. */
    static final Duration BASE_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final NovaConfig config;
    private final HttpClient http;
    private final KeystoneSession session;
    private final Duration baseBackoff;

    public NovaClient(NovaConfig config) {
        this(config, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis((long) (config.timeoutS() * 1000))).build(), Clock.systemUTC(), BASE_BACKOFF);
    }

    NovaClient(NovaConfig config, HttpClient http, Clock clock, Duration baseBackoff) {
        this.config = config;
        this.http = http;
        this.session = new KeystoneSession(config, http, clock);
        this.baseBackoff = baseBackoff;
    }

    public NovaConfig config() {
        return config;
    }

    /** {@code GET /os-hypervisors/detail}, following {@code hypervisors_links} pages. */
    public List<Hypervisor> hypervisors() {
        List<Hypervisor> out = new ArrayList<>();
        pages("/os-hypervisors/detail", "hypervisors").forEach(n -> out.add(Hypervisor.from(n)));
        return out;
    }

    /**
     * {@code GET /servers/detail?all_tenants=1}: every project's servers, following
     * {@code servers_links} pages (one listing for the whole cloud rather than one call per host).
     */
    public List<Server> servers() {
        List<Server> out = new ArrayList<>();
        pages("/servers/detail?all_tenants=1", "servers").forEach(n -> out.add(Server.from(n)));
        return out;
    }

    /** {@code GET /servers/{id}}; empty when Nova has no such server (404). */
    public Optional<Server> server(String id) {
        try {
            return Optional.of(Server.from(call("GET", "/servers/" + enc(id), null).path("server")));
        } catch (NovaApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@code GET /os-server-groups?all_projects=True}: every project's server groups, paged with
     * {@code limit}/{@code offset} (this API has no links).
     */
    public List<NovaResources.ServerGroup> serverGroups() {
        List<NovaResources.ServerGroup> out = new ArrayList<>();
        int limit = 1000;
        for (int offset = 0; offset < 1_000_000; offset += limit) {
            JsonNode page = call("GET", "/os-server-groups?all_projects=True&limit=" + limit + "&offset=" + offset, null)
                    .path("server_groups");
            page.forEach(n -> out.add(NovaResources.ServerGroup.from(n)));
            if (page.size() < limit) {
                break;
            }
        }
        return out;
    }

    /**
     * Each compute host's availability zone, from {@code GET /os-availability-zone/detail}: Nova
     * derives the zones from its aggregates' {@code availability_zone} metadata, hosts in none being in
     * its default zone. Hosts that run no {@code nova-compute} service (the "internal" zone) are left out.
     */
    public Map<String, String> availabilityZones() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode zone : call("GET", "/os-availability-zone/detail", null).path("availabilityZoneInfo")) {
            String name = zone.path("zoneName").asText(null);
            for (Iterator<Map.Entry<String, JsonNode>> it = zone.path("hosts").fields(); name != null && it.hasNext(); ) {
                Map.Entry<String, JsonNode> host = it.next();
                if (host.getValue().has("nova-compute")) {
                    out.putIfAbsent(host.getKey(), name);
                }
            }
        }
        return out;
    }

    /** {@code GET /servers/detail?all_tenants=1&host=…}: every project's servers on a compute host. */
    public List<Server> serversOnHost(String host) {
        List<Server> out = new ArrayList<>();
        pages("/servers/detail?all_tenants=1&host=" + enc(host), "servers").forEach(n -> out.add(Server.from(n)));
        return out;
    }

    /**
     * {@code POST /servers/{id}/action} {@code {"os-migrateLive": {"host": h, "block_migration": "auto"}}}:
     * Nova checks the destination and decides block vs shared-storage migration itself.
     *
     * @throws NovaApiException.Conflict when the server cannot migrate now (task state, status)
     */
    public void liveMigrate(String serverId, String host) {
        ObjectNode body = JsonMapperProvider.MAPPER.createObjectNode();
        ObjectNode action = body.putObject("os-migrateLive");
        action.put("host", host);
        action.put("block_migration", "auto");
        call("POST", "/servers/" + enc(serverId) + "/action", body.toString());
    }

    /** {@code GET /servers/{id}/migrations}: the server's migrations in progress, with byte counters. */
    public List<Migration> migrationsInProgress(String serverId) {
        List<Migration> out = new ArrayList<>();
        call("GET", "/servers/" + enc(serverId) + "/migrations", null).path("migrations").forEach(n -> out.add(Migration.from(n)));
        return out;
    }

    /**
     * {@code GET /os-migrations?instance_uuid=…&migration_type=live-migration}: every live migration of
     * the server in any status, errored and finished ones included (newest first from 2.59).
     */
    public List<Migration> liveMigrations(String serverId) {
        List<Migration> out = new ArrayList<>();
        pages("/os-migrations?instance_uuid=" + enc(serverId) + "&migration_type=live-migration", "migrations")
                .forEach(n -> out.add(Migration.from(n)));
        return out;
    }

    /** {@code DELETE /servers/{id}/migrations/{mid}}: abort a running live migration. */
    public void abortMigration(String serverId, String migrationId) {
        call("DELETE", "/servers/" + enc(serverId) + "/migrations/" + enc(migrationId), null);
    }

    /** {@code POST /servers/{id}/migrations/{mid}/action {"force_complete": null}}: finish it now (2.22+). */
    public void forceCompleteMigration(String serverId, String migrationId) {
        call("POST", "/servers/" + enc(serverId) + "/migrations/" + enc(migrationId) + "/action", "{\"force_complete\": null}");
    }

    /**
     * Enables or disables the host's nova-compute service ({@code PUT /os-services/{uuid}}, 2.53+), as
     * Watcher's change_nova_service_state action does; a disabled service gets {@code reason}.
     *
     * @throws NovaApiException with status 404 when Nova has no nova-compute service on the host
     */
    public void setComputeServiceEnabled(String host, boolean enabled, String reason) {
        JsonNode services = call("GET", "/os-services?binary=nova-compute&host=" + enc(host), null).path("services");
        if (services.isEmpty()) {
            throw new NovaApiException(404, "Nova has no nova-compute service on host " + host, null);
        }
        ObjectNode body = JsonMapperProvider.MAPPER.createObjectNode();
        body.put("status", enabled ? "enabled" : "disabled");
        if (!enabled && reason != null) {
            body.put("disabled_reason", reason.length() > 255 ? reason.substring(0, 255) : reason);
        }
        call("PUT", "/os-services/" + enc(services.get(0).path("id").asText()), body.toString());
    }

    private List<JsonNode> pages(String firstPath, String key) {
        List<JsonNode> out = new ArrayList<>();
        String next = firstPath;
        for (int page = 0; next != null && page < 1000; page++) {
            JsonNode r = call("GET", next, null);
            r.path(key).forEach(out::add);
            next = null;
            for (JsonNode link : r.path(key + "_links")) {
                if ("next".equals(link.path("rel").asText())) {
                    next = link.path("href").asText();
                }
            }
        }
        return out;
    }

    /**
     * One call: {@code pathOrUrl} relative to the compute endpoint, or an absolute link Nova gave.
     * Returns the JSON body (an empty object for 202/204 without one).
     */
    JsonNode call(String method, String pathOrUrl, String body) {
        boolean renewed = false;
        int attempt = 0;
        while (true) {
            KeystoneSession.Token token = session.token();
            URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : token.computeUrl() + pathOrUrl);
            HttpResponse<String> r;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMillis((long) (config.timeoutS() * 1000)))
                        .header("X-Auth-Token", token.value())
                        .header("X-OpenStack-Nova-API-Version", config.microversion())
                        .header("OpenStack-API-Version", "compute " + config.microversion())
                        .header("Accept", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
                if (body != null) {
                    b.header("Content-Type", "application/json");
                }
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt < config.maxRetries()) {
                    backoff(method, uri, "connection error " + e, attempt++);
                    continue;
                }
                throw new NovaApiException.Unavailable(0, method + " " + uri.getPath() + ": Nova unreachable after "
                        + (attempt + 1) + " attempt(s): " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NovaApiException(0, "interrupted during " + method + " " + uri.getPath(), e);
            }
            int status = r.statusCode();
            LOG.debug("{} {} -> {}", method, uri.getPath(), status);
            if (status == 401 && !renewed) {
                // The token was revoked or expired early: authenticate again, once.
                session.invalidate(token);
                renewed = true;
                continue;
            }
            if (status >= 500 && attempt < config.maxRetries()) {
                backoff(method, uri, "status " + status, attempt++);
                continue;
            }
            if (status >= 200 && status < 300) {
                return parse(r.body());
            }
            String fault = faultMessage(r.body());
            String what = method + " " + uri.getPath() + " -> " + status + ": " + fault;
            if (status == 409) {
                throw new NovaApiException.Conflict(what);
            }
            if (status == 401 || status == 403) {
                throw new NovaApiException.Unauthorized(status, what);
            }
            if (status >= 500) {
                throw new NovaApiException.Unavailable(status, what + " (after " + (attempt + 1) + " attempts)", null);
            }
            throw new NovaApiException(status, what, null);
        }
    }

    private void backoff(String method, URI uri, String why, int attempt) {
        long ms = Math.min(MAX_BACKOFF.toMillis(), baseBackoff.toMillis() << Math.min(attempt, 20));
        LOG.warn("{} {}: {}; retry {} of {} in {} ms", method, uri.getPath(), why, attempt + 1, config.maxRetries(), ms);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NovaApiException(0, "interrupted while waiting to retry " + method + " " + uri.getPath(), e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonMapperProvider.MAPPER.createObjectNode();
        }
        try {
            return JsonMapperProvider.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new NovaApiException(0, "Nova's answer is not JSON: " + e.getMessage(), e);
        }
    }

    /** Nova's fault body {@code {"conflictingRequest": {"message": …, "code": 409}}} → its message. */
    static String faultMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode n = JsonMapperProvider.MAPPER.readTree(body);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                JsonNode inner = it.next();
                if (inner.has("message")) {
                    return inner.path("message").asText();
                }
            }
            if (n.has("error")) {
                return n.path("error").path("message").asText(n.path("error").toString());
            }
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page): show its start.
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
