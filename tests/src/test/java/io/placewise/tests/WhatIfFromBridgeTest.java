package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.sim.cli.SimulatorMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code placewise-sim --from-bridge URL --token T} against the real bridge: its cluster, its stored sample windows
 * and its current policy settings are replayed, and with {@code --config-file} the same replay shows what a setting
 * change would have done. pm1 ran at 70–78 % for six samples, pm2 and pm3 at 10–20 %: under the shipped 85 % CPU
 * threshold pm1 is no hotspot; with {@code [HotspotFilter] cpu_threshold = 0.6} it is, and the hotspot goal moves
 * a VM off it.
 */
class WhatIfFromBridgeTest {
    static final String CLUSTER = """
            {"hosts": [
              {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.78},
              {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.2},
              {"name": "pm3", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}, "cpu_util": 0.1}],
             "vms": [
              {"id": "a1", "host": "pm1", "vcpus": 4, "memory_mb": 4096, "cpu_util": 0.39, "workload": "cpu"},
              {"id": "a2", "host": "pm1", "vcpus": 4, "memory_mb": 4096, "cpu_util": 0.39, "workload": "cpu"},
              {"id": "b1", "host": "pm2", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.2, "workload": "mixed"},
              {"id": "c1", "host": "pm3", "vcpus": 2, "memory_mb": 2048, "cpu_util": 0.1, "workload": "mixed"}]}""";

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir.resolve("db"));
        Scenario.put(bridge, CLUSTER);
        double[] pm1 = {0.70, 0.72, 0.74, 0.76, 0.77, 0.78};
        double[] pm2 = {0.10, 0.12, 0.15, 0.18, 0.20, 0.20};
        for (int i = 0; i < pm1.length; i++) {
            String at = String.format("\"at\": \"2026-01-01T00:%02d:00Z\"", i * 5);
            Scenario.sample(bridge, "pm1", at + ", \"cpu_util\": " + pm1[i]);
            Scenario.sample(bridge, "pm2", at + ", \"cpu_util\": " + pm2[i]);
            Scenario.sample(bridge, "pm3", at + ", \"cpu_util\": 0.1");
        }
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private int sim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimulatorMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return code;
    }

    @Test
    void theBridgesSamplesReplayOverItsClusterWithItsSettingsAndAChangedOne() throws Exception {
        Path change = dir.resolve("lower-threshold.conf");
        Files.writeString(change, "[HotspotFilter]\ncpu_threshold = 0.6\n");
        Path out = dir.resolve("out");
        sim("--from-bridge", "http://127.0.0.1:" + bridge.port(), "--token", Bridge.READER, "--policies",
                "none,placewise-hotspot", "--config-file", change.toString(), "--out", out.toString());

        JsonNode report = Bridge.JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.get("trace").get("sources").get(0).asText()).isEqualTo("bridge:http://127.0.0.1:" + bridge.port());
        assertThat(report.get("trace").get("vms").asInt()).isEqualTo(4);
        assertThat(report.get("trace").get("intervals").asInt()).isEqualTo(6);
        assertThat(report.get("trace").get("interval_s").asInt()).isEqualTo(300);
        assertThat(report.get("setup").get("hosts").asInt()).isEqualTo(3);
        Map<String, JsonNode> byName = new HashMap<>();
        report.get("policies").forEach(p -> byName.put(p.get("name").asText(), p));
        assertThat(byName).containsOnlyKeys("none", "placewise-hotspot", "none (lower-threshold.conf)",
                "placewise-hotspot (lower-threshold.conf)");
        // With the bridge's settings pm1 (≤ 78 %) is never a hotspot; with the changed threshold it is relieved.
        assertThat(byName.get("placewise-hotspot").get("migrations").asInt()).isZero();
        assertThat(byName.get("placewise-hotspot (lower-threshold.conf)").get("migrations").asInt()).isPositive();
        List<String> moves = Files.readAllLines(out.resolve("migrations.csv"));
        assertThat(moves.subList(1, moves.size())).allSatisfy(row -> assertThat(row)
                .startsWith("placewise-hotspot (lower-threshold.conf),").contains(",pm1,"));
    }

    @Test
    void aWrongTokenSaysSo() {
        StringWriter err = new StringWriter();
        int code = SimulatorMain.run(new String[] {"--from-bridge", "http://127.0.0.1:" + bridge.port(), "--token", "nope",
                "--out", dir.resolve("x").toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 401").contains("check --token");
    }
}
