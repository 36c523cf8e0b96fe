package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.scheduler.ThirdPartyPluginTest;
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
 * The packaged launcher as an operator runs it: {@code bin/placewise-bridge --config-file FILE}
 * with a vendor's policy jar dropped into the plugin directory; SIGTERM stops it cleanly.
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

    static HttpResponse<String> call(int port, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("X-Auth-Token", token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Path config(int port) throws IOException {
        Path conf = dir.resolve("placewise.conf");
        Files.writeString(conf, """
                [DEFAULT]
                bind_host = 127.0.0.1
                bind_port = %d
                database_url = jdbc:h2:file:%s
                [auth]
                admin_tokens = it-admin
                service_tokens = it-service
                reader_tokens = it-reader
                [OddHostsOnlyFilter]
                enabled = true
                """.formatted(port, dir.resolve("db").toAbsolutePath()));
        return conf;
    }

    @Test
    void launcherServesPluginsFromThePluginDirectoryAndStopsOnSigterm() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = ThirdPartyPluginTest.buildPluginJar(Files.createDirectories(dir.resolve("build")));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        int port = freePort();
        Path log = dir.resolve("bridge.log");
        ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin/placewise-bridge").toString(), "--config-file",
                config(port).toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PLACEWISE_PLUGIN_DIR", plugins.toString());
        Process bridge = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> call(port, "GET", "/healthz", null, null).statusCode() == 200);

            JsonNode policies = Bridge.JSON.readTree(call(port, "GET", "/v1/policies", "it-reader", null).body());
            assertThat(policies.findValuesAsText("name")).contains("OddHostsOnlyFilter", "CapacityFilter");

            assertThat(call(port, "PUT", "/v1/cluster", "it-admin", """
                    {"hosts": [{"name": "pm1", "capacity": {"vcpus": 4, "memory_mb": 4096}},
                               {"name": "pm2", "capacity": {"vcpus": 4, "memory_mb": 4096}}]}""").statusCode()).isEqualTo(200);
            JsonNode select = Bridge.JSON.readTree(call(port, "POST", "/v1/select", "it-service",
                    "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 512}}}").body());
            assertThat(select.get("selected").get(0).asText()).isEqualTo("pm1");
            assertThat(select.get("rejected").get(0).get("filter").asText()).isEqualTo("OddHostsOnlyFilter");
        } finally {
            bridge.destroy(); // SIGTERM
        }
        assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("Placewise bridge listening on http://127.0.0.1:" + port)
                .contains("Placewise bridge stopped")
                .doesNotContain("it-admin").doesNotContain("it-service");
    }

    @Test
    void aBadConfigurationStopsTheLauncherWithAClearMessage() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[DEFAULT]\nbind_port = eighty\n");
        Process p = new ProcessBuilder(HOME.resolve("bin/placewise-bridge").toString(), "--config-file", conf.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("[DEFAULT] bind_port").contains("'eighty' is not an integer");
    }
}
