package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a user stored is lost when the bridge restarts on the same database. */
class RestartTest {
    @TempDir
    Path dir;

    static JsonNode policy(Bridge b, String name) throws Exception {
        return b.get("/v1/policies/" + name, Bridge.READER).body();
    }

    @Test
    void policyChangesClusterAndSamplesSurviveARestart() throws Exception {
        try (Bridge bridge = new Bridge(dir)) {
            bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
            bridge.send("POST", "/v1/hosts/pm3/samples", Bridge.SERVICE, "{\"cpu_util\": 0.7}");
            bridge.send("POST", "/v1/hosts/pm3/samples", Bridge.SERVICE, "{\"cpu_util\": 0.9}");
            assertThat(bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": -1.0}").status()).isEqualTo(200);
            assertThat(bridge.admin("PATCH", "/v1/policies/CapacityFilter",
                    "{\"params\": {\"cpu_allocation_ratio\": 1.0}}").status()).isEqualTo(200);
            assertThat(bridge.admin("PATCH", "/v1/policies/AffinityFilter", "{\"enabled\": false}").status()).isEqualTo(200);
            // Effective at once: with a negative balance multiplier the busiest host that fits wins.
            assertThat(bridge.select(Clusters.spec(1, "")).body().get("selected").get(0).asText()).isEqualTo("pm3");
            String cluster = bridge.get("/v1/cluster", Bridge.READER).text();

            bridge.restart();

            assertThat(policy(bridge, "BalanceWeigher").get("multiplier").asDouble()).isEqualTo(-1.0);
            assertThat(policy(bridge, "CapacityFilter").get("params").get("cpu_allocation_ratio").asText()).isEqualTo("1.0");
            assertThat(policy(bridge, "AffinityFilter").get("enabled").asBoolean()).isFalse();
            assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(cluster);
            assertThat(bridge.get("/v1/hosts/pm3", Bridge.READER).body().get("samples")).hasSize(2);
            assertThat(bridge.select(Clusters.spec(1, "")).body().get("selected").get(0).asText()).isEqualTo("pm3");
        }
    }

    @Test
    void successivePatchesAccumulate() throws Exception {
        try (Bridge bridge = new Bridge(dir)) {
            bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 3.0}");
            JsonNode p = bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"enabled\": false}").body();
            assertThat(p.get("multiplier").asDouble()).isEqualTo(3.0);
            assertThat(p.get("enabled").asBoolean()).isFalse();
            bridge.restart();
            assertThat(policy(bridge, "BalanceWeigher").get("multiplier").asDouble()).isEqualTo(3.0);
        }
    }
}
