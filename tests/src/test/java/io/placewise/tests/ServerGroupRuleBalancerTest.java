package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server groups with a rule in the cluster snapshot ({@code groups}, as Nova's sync and
 * notifications bring them): the balancer keeps the rule when it moves a member, where a group
 * without a rule (a communicating group) draws the member to its sibling.
 */
class ServerGroupRuleBalancerTest {
    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    /** node1 is busy; its cheapest VM 'x' shares group g1 with 'y' on the idle node2. */
    static String cluster(String groups) {
        return """
                {"hosts": [
                  {"name": "node1", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000}, "cpu_util": 0.8},
                  {"name": "node2", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000}, "cpu_util": 0.1},
                  {"name": "node3", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000}, "cpu_util": 0.2}],
                 "vms": [
                  {"id": "x", "host": "node1", "vcpus": 1, "memory_mb": 256, "cpu_util": 0.2, "group": "g1"},
                  {"id": "a", "host": "node1", "vcpus": 2, "memory_mb": 8192, "cpu_util": 0.2, "dirty_rate_mbps": 400, "workload": "web"},
                  {"id": "b", "host": "node1", "vcpus": 2, "memory_mb": 8192, "cpu_util": 0.2, "dirty_rate_mbps": 400, "workload": "web"},
                  {"id": "c", "host": "node1", "vcpus": 2, "memory_mb": 8192, "cpu_util": 0.2, "dirty_rate_mbps": 400, "workload": "web"},
                  {"id": "y", "host": "node2", "vcpus": 1, "memory_mb": 256, "cpu_util": 0.1, "group": "g1"}]%s}"""
                .formatted(groups);
    }

    String destinationOfX() throws Exception {
        Bridge.Reply audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": true}");
        assertThat(audit.status()).as(audit.text()).isEqualTo(201);
        for (JsonNode m : audit.body().get("plan")) {
            if (m.get("vm").asText().equals("x")) {
                return m.get("destination").asText();
            }
        }
        return null;
    }

    @Test
    void anAntiAffinityMemberIsNeverMovedNextToItsSibling() throws Exception {
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster(
                ", \"groups\": [{\"name\": \"g1\", \"policy\": \"anti-affinity\"}]")).status()).isEqualTo(200);
        assertThat(destinationOfX()).isNotNull().isNotEqualTo("node2");
    }

    @Test
    void aCommunicatingGroupDrawsTheMemberToItsSibling() throws Exception {
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster("")).status()).isEqualTo(200);
        assertThat(destinationOfX()).isEqualTo("node2");
    }

    @Test
    void groupsRoundTripAndBadGroupsAre422() throws Exception {
        assertThat(bridge.admin("PUT", "/v1/cluster", cluster(
                ", \"groups\": [{\"name\": \"g1\", \"policy\": \"affinity\"}, {\"name\": \"g2\", \"policy\": \"soft-anti-affinity\", \"members\": [\"a\", \"b\"]}]"))
                .status()).isEqualTo(200);
        JsonNode groups = bridge.get("/v1/cluster", Bridge.READER).body().get("groups");
        assertThat(groups.toString()).isEqualTo("[{\"name\":\"g1\",\"policy\":\"affinity\",\"members\":[\"x\",\"y\"]},"
                + "{\"name\":\"g2\",\"policy\":\"soft-anti-affinity\",\"members\":[\"a\",\"b\"]}]");
        bridge.restart();
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("groups")).isEqualTo(groups);

        Bridge.Reply bad = bridge.admin("PUT", "/v1/cluster", cluster(
                ", \"groups\": [{\"name\": \"g1\", \"policy\": \"spread\"}, {\"name\": \"g3\", \"policy\": \"affinity\", \"members\": [\"x\", \"ghost\"]}]"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text()).contains("groups[0].policy").contains("groups[1].members[0]").contains("groups[1].members[1]");
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("groups")).as("nothing changed").isEqualTo(groups);
    }
}
