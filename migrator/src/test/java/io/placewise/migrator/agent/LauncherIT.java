package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as an operator runs it: {@code bin/placewise-migrator --config-file FILE} on
 * libvirt's {@code test:///default} driver (lists domains; cannot migrate); SIGTERM stops it
 * cleanly. Needs libvirt's client library (libvirt0).
 */
class LauncherIT {
    static final Path HOME = Path.of(System.getProperty("placewise.home", "..")).toAbsolutePath().normalize();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> call(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void launcherServesTheNodeStatsAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Path conf = dir.resolve("placewise-migrator.conf");
        Files.writeString(conf, """
                [DEFAULT]
                bind_host = 127.0.0.1
                bind_port = %d
                database_url = jdbc:h2:file:%s
                [auth]
                admin_tokens = it-admin
                service_tokens = it-service
                reader_tokens = it-reader
                [libvirt]
                uri = test:///default
                """.formatted(port, dir.resolve("db").toAbsolutePath()));
        Path log = dir.resolve("agent.log");
        Process agent = new ProcessBuilder(HOME.resolve("bin/placewise-migrator").toString(), "--config-file",
                conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> call(port, "/healthz", null).statusCode() == 200);
            JsonNode stats = Agent.JSON.readTree(call(port, "/v1/stats", "it-reader").body());
            assertThat(stats.get("vms").findValuesAsText("id")).contains("test"); // the test driver's domain
            assertThat(stats.get("capacity").get("vcpus").asInt()).isPositive();
            assertThat(call(port, "/v1/migrations", null).statusCode()).isEqualTo(401);
        } finally {
            agent.destroy(); // SIGTERM
        }
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        assertThat(Files.readString(log)).contains("Placewise migrator agent listening on http://127.0.0.1:" + port)
                .contains("Placewise migrator agent stopped").doesNotContain("it-reader").doesNotContain("it-service");
    }

    @Test
    void aBadConfigurationStopsTheLauncherWithAClearMessage() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[DEFAULT]\nbind_port = eighty\n");
        Process p = new ProcessBuilder(HOME.resolve("bin/placewise-migrator").toString(), "--config-file",
                conf.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("[DEFAULT] bind_port").contains("'eighty' is not an integer");
    }
}
