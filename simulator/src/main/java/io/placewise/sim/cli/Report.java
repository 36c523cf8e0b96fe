package io.placewise.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.placewise.sim.engine.Migration;
import io.placewise.sim.engine.PolicyResult;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.setup.VmType;
import io.placewise.sim.trace.Trace;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code report.json} (setup, trace and one entry per policy with exactly the metrics of issue 12),
 * {@code report.md} (the same as a table), {@code intervals.csv} (the per-interval series and the invariants behind
 * them) and {@code migrations.csv} (every migration, once).
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    static void write(Path out, Setup setup, Trace trace, int intervals, List<PolicyResult> results, String command,
                      String machine) throws IOException {
        Files.createDirectories(out);
        ObjectNode root = JSON.createObjectNode();
        root.set("setup", setup(setup));
        root.set("trace", trace(trace, intervals));
        ArrayNode policies = root.putArray("policies");
        for (PolicyResult r : results) {
            ObjectNode p = policies.addObject();
            p.put("name", r.name());
            p.put("energy_kwh", r.energyKwh());
            p.put("migrations", r.migrations());
            p.put("slatah_pct", r.slatah() * 100);
            p.put("pdm_pct", r.pdm() * 100);
            p.put("slav", r.slav());
            p.put("esv", r.esv());
            p.put("overload_host_hours", r.overloadHostHours());
            p.put("cm_mean", r.cmMean());
            p.put("active_hosts_mean", r.activeHostsMean());
            p.put("migration_data_gb", r.migrationDataGb());
            p.put("downtime_s_total", r.downtimeSTotal());
            p.put("decision_ms_p50", r.decisionMsP50());
            p.put("decision_ms_p99", r.decisionMsP99());
            p.put("wall_s", r.wallS());
        }
        JSON.writeValue(out.resolve("report.json").toFile(), root);
        Files.writeString(out.resolve("report.md"), markdown(setup, trace, intervals, results, command, machine));
        try (Writer w = Files.newBufferedWriter(out.resolve("intervals.csv"), StandardCharsets.UTF_8)) {
            w.write("policy,interval,vms_alive,vms_placed,active_hosts,overloaded_hosts,migrations,max_memory_ratio,"
                    + "max_cpu_share,cm\n");
            for (PolicyResult r : results) {
                for (PolicyResult.IntervalStats s : r.series()) {
                    w.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%.4f%n", r.name(), s.interval(),
                            s.vmsAlive(), s.vmsPlaced(), s.activeHosts(), s.overloadedHosts(), s.migrations(),
                            s.maxMemoryRatio(), s.maxCpuShare(), s.cm()));
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(out.resolve("migrations.csv"), StandardCharsets.UTF_8)) {
            w.write("policy,interval,vm,source,destination,duration_s,data_mb,downtime_s\n");
            for (PolicyResult r : results) {
                for (Migration m : r.log()) {
                    w.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%.3f,%.1f,%.4f%n", r.name(), m.interval(), m.vm(),
                            m.source(), m.destination(), m.durationS(), m.dataMb(), m.downtimeS()));
                }
            }
        }
    }

    private static ObjectNode setup(Setup s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("hosts", s.hostTypes().stream().mapToInt(HostType::count).sum());
        ArrayNode types = n.putArray("host_types");
        for (HostType t : s.hostTypes()) {
            ObjectNode h = types.addObject();
            h.put("name", t.name());
            h.put("count", t.count());
            h.put("cores", t.cores());
            h.put("mips_per_core", t.mipsPerCore());
            h.put("memory_mb", t.memoryMb());
            h.put("nic_mbps", t.nicMbps());
            h.put("power_model", t.power().name());
        }
        ArrayNode vms = n.putArray("vm_types");
        for (VmType t : s.vmTypes()) {
            ObjectNode v = vms.addObject();
            v.put("name", t.name());
            v.put("mips", t.mips());
            v.put("cores", t.cores());
            v.put("memory_mb", t.memoryMb());
            v.put("dirty_rate_mbps", t.dirtyRateMbps());
        }
        n.put("interval_s", s.intervalS());
        n.put("duration_s", s.durationS());
        n.put("migration_link_mbps", s.migrationLinkMbps());
        n.put("retire_idle_vms", s.retireIdleVms());
        n.put("reserve_memory", s.reserveMemory());
        n.put("cpu_unit_mips", s.cpuUnitMips());
        return n;
    }

    private static ObjectNode trace(Trace t, int intervals) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode src = n.putArray("sources");
        t.sources().forEach(src::add);
        n.put("vms", t.vms().size());
        n.put("intervals", intervals);
        n.put("interval_s", t.intervalS());
        n.put("malformed_lines", t.malformedCount());
        ArrayNode bad = n.putArray("malformed_examples");
        t.malformedLines().forEach(bad::add);
        return n;
    }

    static String markdown(Setup setup, Trace trace, int intervals, List<PolicyResult> results, String command,
                           String machine) {
        StringBuilder b = new StringBuilder();
        b.append("# Placewise simulation: ").append(String.join(", ", trace.sources())).append("\n\n");
        b.append(String.format(Locale.ROOT, "Setup `%s`: %d hosts, %d VMs, %d intervals of %d s.%n%n", setup.name(),
                setup.hostTypes().stream().mapToInt(HostType::count).sum(), trace.vms().size(), intervals, setup.intervalS()));
        b.append("| policy | energy kWh | migrations | SLATAH % | PDM % | SLAV | ESV | overloaded host-h | C_m mean "
                + "| active hosts | migrated GB | downtime s | decision ms p50 / p99 | wall s |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PolicyResult r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %,d | %.2f | %.3f | %.2e | %.2e | %.1f | %.3f | %.1f | %.1f | %.2f "
                            + "| %.2f / %.2f | %.1f |%n", r.name(), r.energyKwh(), r.migrations(), r.slatah() * 100,
                    r.pdm() * 100, r.slav(), r.esv(), r.overloadHostHours(), r.cmMean(), r.activeHostsMean(),
                    r.migrationDataGb(), r.downtimeSTotal(), r.decisionMsP50(), r.decisionMsP99(), r.wallS()));
        }
        b.append("\nCommand: `").append(command).append("`  \nMachine: ").append(machine).append("\n");
        if (trace.malformedCount() > 0) {
            b.append("\nThe readers skipped ").append(trace.malformedCount()).append(" malformed line(s), e.g. `")
                    .append(trace.malformedLines().get(0)).append("`.\n");
        }
        return b.toString();
    }
}
