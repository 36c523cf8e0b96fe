package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/model/precopy} answers seed 003's model over REST. */
class PreCopyModelEndpointTest {
    @TempDir
    Path dir;

    @Test
    void answersTheModelAndRefusesNonsense() throws Exception {
        try (Bridge bridge = new Bridge(dir)) {
            // 1 GiB at 1 Gbit/s, idle: one round of M/B = 8192 Mbit / 1000 Mbit/s (MiB = 8.388608 Mbit).
            JsonNode idle = bridge.send("POST", "/v1/model/precopy", Bridge.SERVICE,
                    "{\"memory_mb\": 1024, \"bandwidth_mbps\": 1000, \"dirty_rate_mbps\": 0}").body();
            assertThat(idle.get("rounds").asInt()).isEqualTo(1);
            assertThat(idle.get("total_s").asDouble()).isCloseTo(1024 * 8.388608 / 1000, within(1e-6));
            assertThat(idle.get("converges").asBoolean()).isTrue();

            // Above the bandwidth nothing converges; the barrier (h/M)^(1/(N-1))·B is below B.
            JsonNode hot = bridge.send("POST", "/v1/model/precopy", Bridge.SERVICE,
                    "{\"memory_mb\": 1024, \"bandwidth_mbps\": 1000, \"dirty_rate_mbps\": 1200, \"max_rounds\": 30, \"threshold_kb\": 256}").body();
            assertThat(hot.get("converges").asBoolean()).isFalse();
            assertThat(hot.get("barrier_mbps").asDouble()).isCloseTo(1000 * Math.pow(0.25 / 1024, 1.0 / 29), within(1e-6));
            assertThat(hot.get("downtime_s").asDouble()).isGreaterThan(idle.get("total_s").asDouble() * 0.99);

            Bridge.Reply bad = bridge.send("POST", "/v1/model/precopy", Bridge.SERVICE,
                    "{\"memory_mb\": 0, \"bandwidth_mbps\": 1000, \"dirty_rate_mbps\": 0, \"max_rounds\": 1}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body().get("errors").findValuesAsText("field")).containsExactly("max_rounds", "memory_mb");
            assertThat(bridge.send("POST", "/v1/model/precopy", Bridge.READER, "{}").status()).isEqualTo(403);
        }
    }
}
