package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples as the migrator agents send them with measured traffic (docs/traffic.md): IDC pairs in
 * {@code traffic}, NIC traffic by peer address in {@code nic_traffic}, each VM's addresses. The
 * real bridge names the NIC peers from the other host's report, keeps IDC out of {@code nic_util},
 * and the IDC weigher places a VM next to the peer it talks to.
 */
class AgentTrafficSampleTest {
    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir);
        assertThat(bridge.admin("PUT", "/v1/cluster", """
                {"hosts": [{"name": "labA", "capacity": {"vcpus": 4, "memory_mb": 8192, "nic_mbps": 100}},
                           {"name": "labB", "capacity": {"vcpus": 4, "memory_mb": 8192, "nic_mbps": 100}}]}""").status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    Bridge.Reply sample(String host, String body) throws Exception {
        return bridge.send("POST", "/v1/hosts/" + host + "/samples", Bridge.SERVICE, body);
    }

    JsonNode traffic() throws Exception {
        return bridge.get("/v1/cluster", Bridge.READER).body().get("traffic");
    }

    @Test
    void idcTrafficIsNotNicTrafficAndNicPeersAreNamedFromTheOtherHostsAddresses() throws Exception {
        // Both guests on labA talking to each other: all IDC, the NIC idle.
        assertThat(sample("labA", """
                {"cpu_util": 0.3, "nic_util": 0.0,
                 "vms": [{"id": "g1", "host": "labA", "vcpus": 1, "memory_mb": 256, "addresses": ["10.77.0.101"]},
                         {"id": "g2", "host": "labA", "vcpus": 1, "memory_mb": 256, "addresses": ["10.77.0.102"]}],
                 "traffic": [{"src": "g1", "dst": "g2", "mbps": 4.1}, {"src": "g2", "dst": "g1", "mbps": 2.05}],
                 "nic_traffic": []}""").status()).isEqualTo(202);
        assertThat(traffic().toString()).contains("\"src\":\"g1\",\"dst\":\"g2\",\"mbps\":4.1");
        assertThat(bridge.get("/v1/hosts/labA", Bridge.READER).body().get("nic_util").asDouble()).isZero();

        // g2 migrated to labB: each host now sees the other's guest by address only.
        assertThat(sample("labB", """
                {"nic_util": 0.041,
                 "vms": [{"id": "g2", "host": "labB", "vcpus": 1, "memory_mb": 256, "addresses": ["10.77.0.102"]}],
                 "traffic": [], "nic_traffic": [{"src": "g2", "peer_address": "10.77.0.101", "mbps": 2.05}]}""").status())
                .isEqualTo(202);
        assertThat(sample("labA", """
                {"nic_util": 0.041,
                 "vms": [{"id": "g1", "host": "labA", "vcpus": 1, "memory_mb": 256, "addresses": ["10.77.0.101"]}],
                 "traffic": [], "nic_traffic": [{"src": "g1", "peer_address": "10.77.0.102", "mbps": 4.1},
                                                {"src": "g1", "peer_address": "192.0.2.9", "mbps": 1.0}]}""").status())
                .isEqualTo(202);

        JsonNode t = traffic();
        assertThat(t).hasSize(2);
        assertThat(t.toString()).contains("\"src\":\"g1\",\"dst\":\"g2\",\"mbps\":4.1").contains("\"src\":\"g2\",\"dst\":\"g1\",\"mbps\":2.05");
        assertThat(bridge.get("/v1/hosts/labA", Bridge.READER).body().get("nic_util").asDouble()).isEqualTo(0.041);

        // A new VM that will talk to g1 is placed next to it (IDC benefit, seed 004 §3.3).
        Bridge.Reply r = bridge.select("""
                {"spec": {"flavor": {"vcpus": 1, "memory_mb": 256}, "traffic": [{"peer": "g1", "mbps": 50}]}}""");
        assertThat(r.body().get("selected")).extracting(JsonNode::asText).containsExactly("labA");
    }
}
