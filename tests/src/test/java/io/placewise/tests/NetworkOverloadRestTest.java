package io.placewise.tests;

import static io.placewise.tests.Scenario.patch;
import static io.placewise.tests.Scenario.rejection;
import static io.placewise.tests.Scenario.select;
import static io.placewise.tests.Scenario.texts;
import static io.placewise.tests.Scenario.weighed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 §4.2.3 (network overload, Table 4.5) as the placement question the balancer will ask the
 * running bridge: where should VM3 go?
 *
 * <p>Table 4.5: three two-VM netperf groups, every VM 256 MB; clients VM1–VM3 on PM1, servers VM4
 * and VM5 on PM2, VM6 on PM3; PM4 idle. Group g is VM g ↔ VM g+3. The paper gives no load numbers,
 * so we choose: gigabit NICs; VM1–VM4 and VM2–VM5 push 250 Mbit/s, VM3–VM6 400 Mbit/s (VM3 has the
 * most traffic, which is why both policies pick it as the victim). PM1's NIC then carries
 * 250 + 250 + 400 = 900 Mbit/s = 90 % > 80 %: the network overload. PM2 carries 500 (50 %), PM3 400
 * (40 %), PM4 nothing. netperf costs little CPU: PM1 45 % (three clients), PM2 30 %, PM3 20 % (one
 * server), PM4 2 % (idle); memory 20 % everywhere. So PM4 is the least-loaded host, the one Sandpiper
 * (and our BalanceWeigher) picks; PM3 is where VM3's traffic becomes IDC, the one the IDC policy
 * picks.
 *
 * <p>Expected weights (IDC weigher and BalanceWeigher, multiplier 1 each; the other weighers score
 * every host alike here and add 0). VM3 moves from PM1, where it talks to no one, so Is = 0,
 * Nds = min(Is, AB, NB) = 0 and Nso + Nsd − Nds = 400 for every destination; PM3 adds the 400 Mbit/s
 * that become IDC there. Raw IDC: PM2 400, PM3 800, PM4 400 → normalised PM3 1, PM2 0, PM4 0.
 * Raw balance 1 − cpu (+ a memory tie-break, equal here): PM2 0.70, PM3 0.80, PM4 0.98 → normalised
 * PM2 0, PM3 0.10 / 0.28 = 0.357, PM4 1. Totals: PM3 1.357 > PM4 1.0 > PM2 0.
 */
class NetworkOverloadRestTest {
    static final String TABLE_4_5 = """
            {"hosts": [
              {"name": "PM1", "capacity": {"vcpus": 8, "memory_mb": 8192, "disk_gb": 200, "nic_mbps": 1000},
               "cpu_util": 0.45, "mem_util": 0.20, "nic_util": 0.90},
              {"name": "PM2", "capacity": {"vcpus": 8, "memory_mb": 8192, "disk_gb": 200, "nic_mbps": 1000},
               "cpu_util": 0.30, "mem_util": 0.20, "nic_util": 0.50},
              {"name": "PM3", "capacity": {"vcpus": 8, "memory_mb": 8192, "disk_gb": 200, "nic_mbps": 1000},
               "cpu_util": 0.20, "mem_util": 0.20, "nic_util": 0.40},
              {"name": "PM4", "capacity": {"vcpus": 8, "memory_mb": 8192, "disk_gb": 200, "nic_mbps": 1000},
               "cpu_util": 0.02, "mem_util": 0.20, "nic_util": 0.0}
             ],
             "vms": [
              {"id": "VM1", "host": "PM1", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "web", "group": "group1"},
              {"id": "VM2", "host": "PM1", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "web", "group": "group2"},
              {"id": "VM3", "host": "PM1", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "web", "group": "group3"},
              {"id": "VM4", "host": "PM2", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "net_rx", "group": "group1"},
              {"id": "VM5", "host": "PM2", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "net_rx", "group": "group2"},
              {"id": "VM6", "host": "PM3", "vcpus": 1, "memory_mb": 256, "disk_gb": 10, "cpu_util": 0.15, "workload": "net_rx", "group": "group3"}
             ],
             "traffic": [
              {"src": "VM1", "dst": "VM4", "mbps": 250.0},
              {"src": "VM2", "dst": "VM5", "mbps": 250.0},
              {"src": "VM3", "dst": "VM6", "mbps": 400.0}
             ]
            }""";

    /** As the balancer asks: the existing VM3 (the bridge infers source_host PM1), every host but its own. */
    static final String WHERE_DOES_VM3_GO = """
            {"spec": {"instance_uuid": "VM3", "flavor": {"vcpus": 1, "memory_mb": 256, "disk_gb": 10}},
             "hosts": ["PM2", "PM3", "PM4"]}""";

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of(
                "IdcNetworkBenefitWeigher", Map.of("enabled", "true", "multiplier", "1.0"),
                "BalanceWeigher", Map.of("enabled", "true", "multiplier", "1.0")));
        Scenario.put(bridge, TABLE_4_5);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void withTheIdcWeigherVm3RejoinsVm6OnPm3() throws Exception {
        Bridge.Reply r = select(bridge, WHERE_DOES_VM3_GO);

        assertThat(r.body().get("rejected")).isEmpty();
        assertThat(texts(r.body().get("selected"))).containsExactly("PM3");
        assertThat(texts(r.body().get("alternates"))).containsExactly("PM4", "PM2");
        Map<String, JsonNode> w = weighed(r);
        // Raw 800 on PM3 (400 benefit + 400 IDC gained) proves the move formula ran with source PM1;
        // a new VM declaring the same traffic would score PM3 400 and the others 0.
        Map<String, JsonNode> raw = weighed(Scenario.weigh(bridge, WHERE_DOES_VM3_GO));
        assertThat(raw.keySet()).containsExactly("PM3", "PM4", "PM2");
        assertThat(raw.get("PM2").get("raw").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(400.0);
        assertThat(raw.get("PM3").get("raw").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(800.0);
        assertThat(raw.get("PM4").get("raw").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(400.0);
        assertThat(w.get("PM3").get("by").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(1.0);
        assertThat(w.get("PM4").get("by").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(0.0);
        assertThat(w.get("PM4").get("by").get("BalanceWeigher").asDouble()).isEqualTo(1.0);
        assertThat(w.get("PM3").get("by").get("BalanceWeigher").asDouble()).isCloseTo(0.10 / 0.28, within(1e-3));
        assertThat(w.get("PM3").get("weight").asDouble()).isCloseTo(1.357, within(1e-3));
        assertThat(w.get("PM4").get("weight").asDouble()).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void withoutItTheLeastLoadedPm4Wins() throws Exception {
        JsonNode policy = patch(bridge, "IdcNetworkBenefitWeigher", "{\"enabled\": false}");
        assertThat(policy.get("enabled").asBoolean()).isFalse();

        Bridge.Reply r = select(bridge, WHERE_DOES_VM3_GO);

        assertThat(texts(r.body().get("selected"))).containsExactly("PM4");
        assertThat(texts(r.body().get("alternates"))).containsExactly("PM3", "PM2");
        assertThat(weighed(r).get("PM4").get("by").has("IdcNetworkBenefitWeigher")).isFalse();
        assertThat(weighed(r).get("PM4").get("by").get("BalanceWeigher").asDouble()).isEqualTo(1.0);

        // Switched back on, the next request reunites the group again.
        patch(bridge, "IdcNetworkBenefitWeigher", "{\"enabled\": true}");
        assertThat(texts(select(bridge, WHERE_DOES_VM3_GO).body().get("selected"))).containsExactly("PM3");
    }

    @Test
    void theMultiplierDecidesHowMuchTheReunionIsWorth() throws Exception {
        // At 0.5 the IDC preference gives PM3 0.5 + 0.357 = 0.857, less than PM4's balance 1.0.
        patch(bridge, "IdcNetworkBenefitWeigher", "{\"multiplier\": 0.5}");
        Bridge.Reply r = select(bridge, WHERE_DOES_VM3_GO);
        assertThat(texts(r.body().get("selected"))).containsExactly("PM4");
        assertThat(weighed(r).get("PM3").get("by").get("IdcNetworkBenefitWeigher").asDouble()).isEqualTo(0.5);
        assertThat(weighed(r).get("PM3").get("weight").asDouble()).isCloseTo(0.857, within(1e-3));
    }

    @Test
    void pm1IsTheNetworkHotspotThatStartsIt() throws Exception {
        // A new VM with no hosts list: PM1's NIC at 90 % (IDC excluded) is over 80 %, now and, with
        // no window yet, by the forecast (the current value itself).
        Bridge.Reply r = select(bridge, "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 256}}}");
        JsonNode pm1 = rejection(r, "PM1");
        assertThat(pm1.get("filter").asText()).isEqualTo("HotspotFilter");
        assertThat(pm1.get("reason").asText()).startsWith("hotspot: NIC (IDC excluded) now 90.0%");
        assertThat(texts(r.body().get("selected"))).containsExactly("PM4");
    }
}
