package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measured traffic between VMs in the two-host lab (tests/lab, LAB.md): two guests with NICs that
 * send each other UDP (trafficgen: g1 at 4,000 kbit/s, g2 at 2,000 kbit/s), one migrator agent per
 * lab host running inside the host's network namespace (its conntrack table, its NICs), and the
 * real bridge they report to. With both guests on labA the traffic is IDC: it is in the bridge's
 * {@code traffic} and not in labA's {@code nic_util}; once g2 lives on labB it crosses the NIC:
 * each agent reports it by peer address, the bridge names the peers, and labA's {@code nic_util}
 * carries it. Run as root with {@code flock /tmp/placewise-lab.lock mvn -Plab -pl tests -am verify
 * -Dtest=LabTrafficTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("lab")
class LabTrafficTest {
    static final String URI_A = LabHosts.URI_A;
    static final String URI_B = LabHosts.URI_B;
    static final double NIC_MBPS = 100;

    @TempDir
    static Path dir;
    static Bridge bridge;
    static final List<Process> agents = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        LabHosts.script("setup.sh");
        LabHosts.script("up.sh");
        bridge = new Bridge(dir, Map.of(), c -> c.withEndpoint("10.77.0.254", 0, "jdbc:h2:file:" + dir.resolve("bridge")));
        assertThat(bridge.admin("PUT", "/v1/cluster", """
                {"hosts": [{"name": "labA", "capacity": {"vcpus": 2, "memory_mb": 4096, "nic_mbps": %s}},
                           {"name": "labB", "capacity": {"vcpus": 2, "memory_mb": 4096, "nic_mbps": %s}}]}"""
                .formatted(NIC_MBPS, NIC_MBPS)).status()).isEqualTo(200);
        agents.add(agent("A", "10.77.0.1"));
        agents.add(agent("B", "10.77.0.2"));
        LabHosts.script("define-guest.sh", Map.of("GUEST_IP", "10.77.0.101/24", "GUEST_PEER", "10.77.0.102", "GUEST_KBPS", "4000"),
                "g1", "16", "0", "word");
        LabHosts.script("define-guest.sh", Map.of("GUEST_IP", "10.77.0.102/24", "GUEST_PEER", "10.77.0.101", "GUEST_KBPS", "2000"),
                "g2", "16", "0", "word");
    }

    @AfterAll
    static void down() throws Exception {
        agents.forEach(LabHosts::stop);
        if (bridge != null) {
            bridge.close();
        }
        LabHosts.script("down.sh");
    }

    /** A migrator agent in lab host {@code h}'s network namespace, reporting every 2 s. */
    static Process agent(String h, String ip) throws IOException {
        Path conf = dir.resolve("agent" + h + ".conf");
        Files.writeString(conf, """
                [DEFAULT]
                bind_host = %s
                bind_port = 8791
                database_url = jdbc:h2:file:%s
                [auth]
                admin_tokens = lab-admin
                service_tokens = lab-service
                [libvirt]
                uri = qemu+tcp://%s/system
                [profiler]
                bridge_url = http://10.77.0.254:%d
                bridge_token = %s
                host_name = lab%s
                interval_s = 2
                nics = lab%s-g
                nic_mbps = %s
                traffic = conntrack
                """.formatted(ip, dir.resolve("agent" + h), ip, bridge.port(), Bridge.SERVICE, h, h, NIC_MBPS));
        return LabHosts.agent(h, conf, dir.resolve("agent" + h + ".log"));
    }

    static double traffic(JsonNode cluster, String src, String dst) {
        for (JsonNode t : cluster.get("traffic")) {
            if (t.get("src").asText().equals(src) && t.get("dst").asText().equals(dst)) {
                return t.get("mbps").asDouble();
            }
        }
        return 0;
    }

    static JsonNode cluster() throws Exception {
        return bridge.get("/v1/cluster", Bridge.READER).body();
    }

    static double nicUtil(String host) throws Exception {
        return bridge.get("/v1/hosts/" + host, Bridge.READER).body().get("nic_util").asDouble();
    }

    static String hostOf(JsonNode cluster, String vm) {
        for (JsonNode v : cluster.get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.get("host").asText();
            }
        }
        return null;
    }

    @Test
    void idcTrafficOnOneHostThenNicTrafficAcrossTwo() throws Exception {
        // Both on labA: the agent measures each guest's sending rate (UDP payload + headers, so a
        // little above trafficgen's rate) as IDC; labA's NIC carries none of it.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode c = cluster();
            return traffic(c, "g1", "g2") > 3.0 && traffic(c, "g2", "g1") > 1.5;
        });
        JsonNode c = cluster();
        System.out.printf("IDC on labA: g1->g2 %.2f Mbit/s, g2->g1 %.2f Mbit/s; labA nic_util %.4f%n",
                traffic(c, "g1", "g2"), traffic(c, "g2", "g1"), nicUtil("labA"));
        assertThat(traffic(c, "g1", "g2")).isBetween(3.0, 6.0);
        assertThat(traffic(c, "g2", "g1")).isBetween(1.5, 3.0);
        assertThat(nicUtil("labA")).as("IDC is not NIC traffic (%s Mbit/s NIC)", NIC_MBPS).isLessThan(0.01);

        // g2 moves to labB: the same flows now cross both hosts' NICs.
        String out = LabHosts.virsh("-c", URI_A, "migrate", "--live", "--p2p", "--persistent", "--undefinesource", "g2", URI_B);
        assertThat(LabHosts.virsh("-c", URI_B, "domstate", "g2").trim()).as(out).isEqualTo("running");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode now = cluster();
            return "labB".equals(hostOf(now, "g2")) && traffic(now, "g1", "g2") > 3.0 && traffic(now, "g2", "g1") > 1.5
                    && nicUtil("labA") > 0.03;
        });
        c = cluster();
        System.out.printf("NIC after g2 -> labB: g1->g2 %.2f Mbit/s (named by labA from labB's address), g2->g1 %.2f; "
                + "labA nic_util %.4f, labB nic_util %.4f%n", traffic(c, "g1", "g2"), traffic(c, "g2", "g1"),
                nicUtil("labA"), nicUtil("labB"));
        assertThat(traffic(c, "g1", "g2")).isBetween(3.0, 6.0);
        assertThat(nicUtil("labA")).as("g1's 4 Mbit/s now leaves labA").isBetween(0.03, 0.08);
        assertThat(nicUtil("labB")).isBetween(0.03, 0.08);
    }
}
