package io.placewise.tests;

import static io.placewise.service.testing.Launcher.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.scheduler.ThirdPartyPluginTest;
import io.placewise.service.testing.ChildJvm;
import io.placewise.service.testing.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher as an operator runs it: {@code bin/placewise-bridge --config-file FILE}
 * with a vendor's policy jar dropped into the plugin directory; SIGTERM stops it cleanly.
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void launcherServesPluginsFromThePluginDirectoryAndStopsOnSigterm() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = ThirdPartyPluginTest.buildPluginJar(Files.createDirectories(dir.resolve("build")));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        int port = ChildJvm.freePort();
        Path log = dir.resolve("bridge.log");
        Path conf = Launcher.config(dir, "placewise.conf", port, "it", "[OddHostsOnlyFilter]\nenabled = true\n");
        Process bridge = Launcher.start("placewise-bridge", conf, log, Map.of("PLACEWISE_PLUGIN_DIR", plugins.toString()));
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
        Path log = dir.resolve("bad.log");
        Process p = Launcher.start("placewise-bridge", conf, log, Map.of());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("[DEFAULT] bind_port").contains("'eighty' is not an integer");
    }
}
