package io.placewise.migrator.agent;

import static io.placewise.service.testing.Launcher.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The packaged agent as an operator runs it: {@code bin/placewise-migrator --config-file FILE} on
 * libvirt's {@code test:///default} driver (lists domains; cannot migrate); SIGTERM stops it
 * cleanly. Needs libvirt's client library (libvirt0).
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void launcherServesTheNodeStatsAndStopsOnSigterm() throws Exception {
        int port = ChildJvm.freePort();
        Path conf = Launcher.config(dir, "placewise-migrator.conf", port, "it", "[libvirt]\nuri = test:///default\n");
        Path log = dir.resolve("agent.log");
        Process agent = Launcher.start("placewise-migrator", conf, log, Map.of());
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> call(port, "GET", "/healthz", null, null).statusCode() == 200);
            JsonNode stats = Agent.JSON.readTree(call(port, "GET", "/v1/stats", "it-reader", null).body());
            assertThat(stats.get("vms").findValuesAsText("id")).contains("test"); // the test driver's domain
            assertThat(stats.get("capacity").get("vcpus").asInt()).isPositive();
            assertThat(call(port, "GET", "/v1/migrations", null, null).statusCode()).isEqualTo(401);
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
        Path log = dir.resolve("bad.log");
        Process p = Launcher.start("placewise-migrator", conf, log, Map.of());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("[DEFAULT] bind_port").contains("'eighty' is not an integer");
    }
}
