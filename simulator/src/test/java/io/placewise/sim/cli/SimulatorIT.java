package io.placewise.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.sim.SharedTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/placewise-sim} as a user runs it (the packaged jar, a separate JVM), on short slices of the real traces:
 * the report's shape and the invariants behind it — every VM placed, no host over its capacity, every migration
 * counted once.
 */
class SimulatorIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FIELDS = List.of("name", "energy_kwh", "migrations", "slatah_pct", "pdm_pct", "slav", "esv",
            "overload_host_hours", "cm_mean", "active_hosts_mean", "migration_data_gb", "downtime_s_total",
            "decision_ms_p50", "decision_ms_p99", "wall_s");
    static final String ALL = "none,thr-mmt,lr-mmt,sandpiper,placewise-balance,placewise-hotspot,placewise-consolidate";

    @TempDir
    Path tmp;

    static Path home() {
        return Path.of(System.getProperty("placewise.home", "..")).toAbsolutePath().normalize();
    }

    record Result(int exit, String output) {
    }

    static Result sim(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin/placewise-sim").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** The first {@code n} VMs of day 20110303. */
    private Path planetLabSlice(int n) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("planetlab"));
        try (Stream<Path> s = Files.list(SharedTraces.planetLabDay("20110303"))) {
            for (Path p : s.sorted().limit(n).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void aShortPlanetLabRunThroughEveryPolicyKeepsItsInvariants() throws Exception {
        Path trace = planetLabSlice(60);
        // 24 CloudSim G5 hosts that reserve the VMs' memory, four hours.
        Path setup = tmp.resolve("setup.json");
        Files.writeString(setup, """
                {"name": "it", "interval_s": 300, "duration_s": 14400,
                 "hosts": [{"name": "G5", "count": 24, "cores": 2, "mips_per_core": 2660, "memory_mb": 4096,
                            "nic_mbps": 1000, "power_model": "HpProLiantMl110G5Xeon3075"}],
                 "vm_types": [{"mips": 2500, "memory_mb": 870}, {"mips": 2000, "memory_mb": 1740},
                              {"mips": 1000, "memory_mb": 1740}, {"mips": 500, "memory_mb": 613}],
                 "migration_link_mbps": 500, "reserve_memory": true, "cpu_unit_mips": 10}""");
        Path out = tmp.resolve("out");
        Result r = sim("--trace", "planetlab:" + trace, "--setup", setup.toString(), "--policies", ALL,
                "--config-file", home().resolve("etc/placewise.conf").toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.properties()).extracting(Map.Entry::getKey).containsExactly("setup", "trace", "policies");
        assertThat(report.get("trace").get("vms").asInt()).isEqualTo(60);
        assertThat(report.get("trace").get("intervals").asInt()).isEqualTo(48);
        assertThat(report.get("setup").get("hosts").asInt()).isEqualTo(24);
        List<String> names = new ArrayList<>();
        for (JsonNode p : report.get("policies")) {
            assertThat(p.properties()).extracting(Map.Entry::getKey).containsExactlyElementsOf(FIELDS);
            names.add(p.get("name").asText());
            assertThat(p.get("energy_kwh").asDouble()).isPositive();
            assertThat(p.get("slav").asDouble()).isCloseTo(p.get("slatah_pct").asDouble() / 100 * p.get("pdm_pct").asDouble()
                    / 100, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(p.get("esv").asDouble()).isCloseTo(p.get("energy_kwh").asDouble() * p.get("slav").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(String.join(",", names)).isEqualTo(ALL);
        checkInvariants(out, report, 1.0);
        for (String png : List.of("active_hosts.png", "overloaded_hosts.png", "migrations.png", "cpu_spread.png")) {
            byte[] head = Files.readAllBytes(out.resolve(png));
            assertThat(head.length).as(png).isGreaterThan(1000);
            assertThat(new String(head, 1, 3)).as(png).isEqualTo("PNG");
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("| policy | energy kWh | migrations |")
                .contains("| placewise-consolidate |");
        // The consolidating policies free hosts: fewer active hosts than spreading VMs over all 24.
        Map<String, JsonNode> byName = new HashMap<>();
        report.get("policies").forEach(p -> byName.put(p.get("name").asText(), p));
        assertThat(byName.get("placewise-consolidate").get("active_hosts_mean").asDouble())
                .isLessThan(byName.get("none").get("active_hosts_mean").asDouble());
    }

    @Test
    void theShippedBitbrainsSetupReplaysMemoryAndNetwork() throws Exception {
        ObjectNode setup = (ObjectNode) JSON.readTree(home().resolve("etc/sim-bitbrains.json").toFile());
        setup.put("duration_s", 6 * 3600);
        Path file = tmp.resolve("bitbrains.json");
        JSON.writeValue(file.toFile(), setup);
        Path out = tmp.resolve("bb");
        Result r = sim("--trace", "bitbrains:" + SharedTraces.bitbrains(), "--setup", file.toString(), "--policies",
                "none,placewise-hotspot,placewise-consolidate", "--out", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertThat(report.get("trace").get("vms").asInt()).isEqualTo(50);
        assertThat(report.get("setup").get("reserve_memory").asBoolean()).isTrue();
        checkInvariants(out, report, 1.0);
    }

    @Test
    void badUsageSaysWhatIsWrong() throws Exception {
        Path trace = planetLabSlice(3);
        Result unknown = sim("--trace", "planetlab:" + trace, "--policies", "none,magic", "--out", tmp.resolve("x").toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.output()).contains("unknown policy 'magic'").contains("placewise-consolidate");
        Result format = sim("--trace", "csv:" + trace, "--out", tmp.resolve("y").toString());
        assertThat(format.exit()).isEqualTo(1);
        assertThat(format.output()).contains("unknown format 'csv'");
        Result noOut = sim("--trace", "planetlab:" + trace);
        assertThat(noOut.exit()).isEqualTo(2);
        assertThat(noOut.output()).contains("--out");
    }

    /**
     * Every VM alive is placed at every interval; no host holds more provisioned memory than it has (ratio 1.0) or
     * more CPU than its capacity; each migration is one row of migrations.csv, one count in the series, one in the
     * report.
     */
    static void checkInvariants(Path out, JsonNode report, double memoryRatio) throws Exception {
        Map<String, Integer> seriesMigrations = new HashMap<>();
        List<String> rows = Files.readAllLines(out.resolve("intervals.csv"));
        assertThat(rows.get(0)).isEqualTo("policy,interval,vms_alive,vms_placed,active_hosts,overloaded_hosts,migrations,"
                + "max_memory_ratio,max_cpu_share,cm");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertThat(f[3]).as("every VM placed: " + row).isEqualTo(f[2]);
            assertThat(Double.parseDouble(f[7])).as("memory: " + row).isLessThanOrEqualTo(memoryRatio + 1e-9);
            assertThat(Double.parseDouble(f[8])).as("CPU: " + row).isLessThanOrEqualTo(1 + 1e-9);
            seriesMigrations.merge(f[0], Integer.parseInt(f[6]), Integer::sum);
        }
        Map<String, Integer> logged = new HashMap<>();
        List<String> migrations = Files.readAllLines(out.resolve("migrations.csv"));
        for (String row : migrations.subList(1, migrations.size())) {
            String[] f = row.split(",");
            assertThat(f[3]).as("a migration goes somewhere: " + row).isNotEqualTo(f[4]);
            logged.merge(f[0], 1, Integer::sum);
        }
        for (JsonNode p : report.get("policies")) {
            String name = p.get("name").asText();
            int count = p.get("migrations").asInt();
            assertThat(logged.getOrDefault(name, 0)).as(name).isEqualTo(count);
            assertThat(seriesMigrations.getOrDefault(name, 0)).as(name).isEqualTo(count);
        }
    }
}
