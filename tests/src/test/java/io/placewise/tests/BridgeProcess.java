package io.placewise.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.service.testing.ChildJvm;
import io.placewise.service.testing.JsonHttp;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real bridge as a process of its own (its {@code BridgeMain} and a placewise.conf), so that a test
 * can {@code kill -9} it and start it again; answers with {@link Bridge.Reply} and {@link Bridge}'s tokens.
 */
final class BridgeProcess implements AutoCloseable {
    final String name;
    final int port;
    private final Path conf;
    private final Path log;
    private Process process;
    private HttpClient client;

    /** @param sections the configuration after {@code [DEFAULT]} and {@code [auth]} (e.g. {@code [balancer]}) */
    BridgeProcess(Path dir, String name, String dbUrl, String dbUser, String dbPassword, String sections) throws Exception {
        this.name = name;
        this.port = ChildJvm.freePort();
        this.conf = dir.resolve(name + ".conf");
        this.log = dir.resolve(name + ".log");
        Files.writeString(conf, """
                [DEFAULT]
                bind_host = 127.0.0.1
                bind_port = %d
                database_url = %s
                database_user = %s
                database_password = %s
                database_pool_size = 4
                [auth]
                admin_tokens = %s
                service_tokens = %s
                reader_tokens = %s
                [scheduler]
                filter_order = ComputeFilter, CapacityFilter, AffinityFilter
                """.formatted(port, dbUrl, dbUser, dbPassword, Bridge.ADMIN, Bridge.SERVICE, Bridge.READER) + sections);
    }

    /** Starts the process and waits until it answers {@code /healthz}. */
    BridgeProcess start() throws Exception {
        process = ChildJvm.start(log, "io.placewise.bridge.BridgeMain", "--config-file", conf.toString());
        // A new client per process: a pooled connection to a killed one would fail the first call.
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log + ":\n"
                        + Files.readString(log));
            }
            if (role() != null) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not answer /healthz within 90 s; see " + log);
    }

    /** SIGKILL: no shutdown hook, no close; its database sessions end with it. */
    void kill9() throws InterruptedException {
        ChildJvm.kill9(process);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** {@code GET /healthz}'s {@code balancer}: leader, standby or disabled; null when it does not answer. */
    String role() {
        try {
            Bridge.Reply r = send("GET", "/healthz", null, null);
            return r.status() == 200 ? r.body().get("balancer").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    Bridge.Reply send(String method, String path, String token, String body) throws Exception {
        JsonHttp.Answer a = JsonHttp.send(client, "http://127.0.0.1:" + port, method, path, token, body);
        return new Bridge.Reply(a.status(), a.contentType(), a.json(), a.text());
    }

    Bridge.Reply admin(String method, String path, String body) throws Exception {
        return send(method, path, Bridge.ADMIN, body);
    }

    JsonNode read(String path) throws Exception {
        Bridge.Reply r = send("GET", path, Bridge.READER, null);
        if (r.status() != 200) {
            throw new IllegalStateException(name + " GET " + path + ": " + r.status() + " " + r.text());
        }
        return r.body();
    }

    String logText() throws Exception {
        return Files.readString(log);
    }

    /** Stops the process as its service manager would (SIGTERM). */
    @Override
    public void close() throws Exception {
        // Kept for a failed run: the temporary directory goes with the test.
        Path kept = Files.createDirectories(Path.of("target", "bridge-logs"));
        if (Files.exists(log)) {
            Files.copy(log, kept.resolve(name + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                ChildJvm.kill9(process);
            }
        }
    }
}
