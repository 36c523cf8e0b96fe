package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.config.BalancerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The real bridge executing plans through {@link AgentFarm}'s WireMock agents, and how to read its audits. */
abstract class AgentsAndBridge {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String BALANCE = "{\"goal\": \"balance\", \"dry_run\": true}";

    @TempDir
    Path dir;
    AgentFarm agents;
    Bridge bridge;

    @BeforeEach
    void startAgents() {
        agents = new AgentFarm();
    }

    @AfterEach
    void stopAll() {
        if (bridge != null) {
            bridge.close();
        }
        agents.close();
    }

    /** Starts the bridge with {@code config} (H2 in {@link #dir}) and puts {@code cluster}. */
    void start(BalancerConfig config, String cluster) throws Exception {
        bridge = new Bridge(dir, config);
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster).status()).isEqualTo(200);
    }

    JsonNode audit(String id) throws Exception {
        return bridge.get("/v1/audits/" + id, Bridge.READER).body();
    }

    JsonNode execution(String id) throws Exception {
        return audit(id).get("execution");
    }

    String executionState(String id) throws Exception {
        return execution(id).get("state").asText();
    }

    List<String> stepStates(String id) throws Exception {
        List<String> out = new ArrayList<>();
        execution(id).get("steps").forEach(s -> out.add(s.get("state").asText()));
        return out;
    }

    /** Where the live cluster has the VM. */
    String hostOf(String vm) throws Exception {
        for (JsonNode v : bridge.get("/v1/cluster", Bridge.READER).body().get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.get("host").asText();
            }
        }
        return null;
    }
}
