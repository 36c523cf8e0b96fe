package io.placewise.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.bridge.BridgeServer;
import io.placewise.service.config.AuthConfig;
import io.placewise.bridge.config.BridgeConfig;
import io.placewise.service.testing.JsonHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The real bridge on an ephemeral loopback port with its own H2 file, and an HTTP client for it.
 * Restarting keeps the database, as a restarted service would.
 */
final class Bridge implements AutoCloseable {
    static final String ADMIN = "admin-token";
    static final String SERVICE = "service-token";
    static final String READER = "reader-token";
    static final ObjectMapper JSON = JsonHttp.JSON;


    private final BridgeConfig config;
    private BridgeServer server;

    Bridge(Path dataDir, Map<String, Map<String, String>> policySections) throws Exception {
        this("jdbc:h2:file:" + dataDir.resolve("placewise").toAbsolutePath(), "", "", policySections, 30);
    }

    /** A bridge on any JDBC URL (PostgreSQL in the postgres suite). */
    Bridge(String dbUrl, String dbUser, String dbPassword, Map<String, Map<String, String>> policySections, int window)
            throws Exception {
        this.config = new BridgeConfig("127.0.0.1", 0, dbUrl, dbUser, dbPassword, 4,
                new AuthConfig(List.of(ADMIN), List.of(SERVICE), List.of(READER)),
                List.of("ComputeFilter", "CapacityFilter", "AffinityFilter"), 4, 20, window, policySections);
        this.server = BridgeServer.start(config);
    }

    /** A bridge on any JDBC URL whose balancer settings are {@code balancer}. */
    Bridge(String dbUrl, String dbUser, String dbPassword, io.placewise.bridge.config.BalancerConfig balancer) throws Exception {
        this.config = new BridgeConfig("127.0.0.1", 0, dbUrl, dbUser, dbPassword, 4,
                new AuthConfig(List.of(ADMIN), List.of(SERVICE), List.of(READER)),
                List.of("ComputeFilter", "CapacityFilter", "AffinityFilter"), 4, 20, 30, Map.of()).withBalancer(balancer);
        this.server = BridgeServer.start(config);
    }

    /** A bridge whose balancer settings are {@code balancer} (e.g. a WireMock migrator agent). */
    Bridge(Path dataDir, io.placewise.bridge.config.BalancerConfig balancer) throws Exception {
        this.config = new BridgeConfig("127.0.0.1", 0, "jdbc:h2:file:" + dataDir.resolve("placewise").toAbsolutePath(), "", "", 4,
                new AuthConfig(List.of(ADMIN), List.of(SERVICE), List.of(READER)),
                List.of("ComputeFilter", "CapacityFilter", "AffinityFilter"), 4, 20, 30, Map.of()).withBalancer(balancer);
        this.server = BridgeServer.start(config);
    }

    Bridge(Path dataDir) throws Exception {
        this(dataDir, Map.of());
    }

    /** A bridge whose configuration the test adjusts ({@code [nova_external]}, {@code [nova]}, ...). */
    Bridge(Path dataDir, Map<String, Map<String, String>> policySections, UnaryOperator<BridgeConfig> tweak) throws Exception {
        this.config = tweak.apply(new BridgeConfig("127.0.0.1", 0, "jdbc:h2:file:" + dataDir.resolve("placewise").toAbsolutePath(),
                "", "", 4, new AuthConfig(List.of(ADMIN), List.of(SERVICE), List.of(READER)),
                List.of("ComputeFilter", "CapacityFilter", "AffinityFilter"), 4, 20, 30, policySections));
        this.server = BridgeServer.start(config);
    }

    int port() {
        return server.port();
    }

    /** The REST resource classes the bridge serves. */
    java.util.Set<Class<?>> resourceClasses() {
        return server.resourceClasses();
    }

    String databaseUrl() {
        return config.databaseUrl();
    }

    /** Every row of the bridge's database, to check that a rejected request changed nothing. */
    String databaseDump() {
        return io.placewise.service.testing.DatabaseDump.of(config.databaseUrl(), config.databaseUser(),
                config.databasePassword());
    }

    BridgeServer server() {
        return server;
    }

    /** Stops the bridge and starts a new one on the same database. */
    void restart() throws Exception {
        restart(() -> { });
    }

    /** As {@link #restart()}, doing {@code whileDown} between the stop and the start. */
    void restart(Callable whileDown) throws Exception {
        server.close();
        whileDown.call();
        server = BridgeServer.start(config);
    }

    interface Callable {
        void call() throws Exception;
    }

    @Override
    public void close() {
        server.close();
    }

    record Reply(int status, String contentType, JsonNode body, String text) {
        boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }
    }

    Reply get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    Reply send(String method, String path, String token, String body) throws Exception {
        JsonHttp.Answer a = JsonHttp.send("http://" + config.bindHost() + ":" + server.port(), method, path, token, body);
        return new Reply(a.status(), a.contentType(), a.json(), a.text());
    }

    Reply admin(String method, String path, String body) throws Exception {
        return send(method, path, ADMIN, body);
    }

    Reply select(String body) throws Exception {
        return send("POST", "/v1/select", SERVICE, body);
    }
}
