package io.placewise.sim.cli;

import io.placewise.service.config.IniFile;
import io.placewise.sim.engine.PolicyResult;
import io.placewise.sim.engine.SimPolicy;
import io.placewise.sim.engine.Simulation;
import io.placewise.sim.policy.PlacewiseSettings;
import io.placewise.sim.policy.SimPolicies;
import io.placewise.sim.power.PowerModel;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.trace.BitbrainsReader;
import io.placewise.sim.trace.PlanetLabReader;
import io.placewise.sim.trace.Trace;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/placewise-sim}: replays traces (or a live bridge's recorded samples) through the baselines and
 * Placewise's own decision core, and writes the report and plots.
 */
@Command(name = "placewise-sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replays real load through CloudSim's baselines and Placewise's placement pipeline and balancer goals.")
public final class SimulatorMain implements Callable<Integer> {
    @Option(names = "--trace", paramLabel = "planetlab:DIR|bitbrains:DIR",
            description = "a trace to replay; several replay together")
    List<String> traces = new ArrayList<>();

    @Option(names = "--setup", paramLabel = "cloudsim|FILE.json", defaultValue = "cloudsim",
            description = "hosts, VM types, power models, interval (default: ${DEFAULT-VALUE})")
    String setup;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "policies to replay, comma-separated: none, thr-mmt, lr-mmt, sandpiper, placewise-balance, "
                    + "placewise-hotspot, placewise-consolidate (default: all)")
    List<String> policies = new ArrayList<>(SimPolicies.NAMES);

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "placewise.conf: the policy parameters, as the bridge reads them (default: the policies' defaults)")
    Path configFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where report.json, report.md and the plots go")
    Path out;

    @Option(names = "--from-bridge", paramLabel = "URL",
            description = "replay a live bridge's stored sample windows over its current cluster with its current "
                    + "policy settings (and, with --config-file, with those settings changed)")
    String bridgeUrl;

    @Option(names = "--token", paramLabel = "T", description = "a reader (or admin) token of that bridge")
    String token;

    /** Progress lines, one per policy run. */
    private PrintWriter log = new PrintWriter(System.err, true);

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; the exit status is 0, 1 (the run failed, with the reason) or 2 (bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        SimulatorMain main = new SimulatorMain();
        main.log = err;
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("placewise-sim: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        String load = machine();
        Setup s;
        Trace trace;
        List<Run> runs = new ArrayList<>();
        if (bridgeUrl != null) {
            if (token == null || token.isBlank()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--from-bridge needs --token");
            }
            if (!traces.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--from-bridge replays the bridge's samples: "
                        + "give no --trace");
            }
            PowerModel power = setup.equals("cloudsim") ? PowerModel.HP_ML110_G5 : SetupFile.resolve(setup).hostTypes().get(0).power();
            BridgeSource.Loaded b = new BridgeSource(bridgeUrl, token).load(power);
            s = b.setup();
            trace = b.trace();
            runs.add(new Run("", PlacewiseConfig.fromSections("bridge " + bridgeUrl, withWindow(b.sections(), b.sampleWindow()),
                    Map.of())));
            if (configFile != null) {
                Map<String, Map<String, String>> changed = new LinkedHashMap<>(withWindow(b.sections(), b.sampleWindow()));
                IniFile.read(configFile).forEach((name, values) -> {
                    Map<String, String> merged = new LinkedHashMap<>(changed.getOrDefault(name, Map.of()));
                    merged.putAll(values);
                    changed.put(name, merged);
                });
                runs.add(new Run(" (" + configFile.getFileName() + ")", PlacewiseConfig.fromSections(configFile.toString(),
                        changed, Map.of())));
            }
        } else {
            if (traces.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give at least one --trace (or --from-bridge)");
            }
            s = SetupFile.resolve(setup);
            trace = readTraces(traces, s.intervalS());
            runs.add(new Run("", configFile == null ? PlacewiseConfig.defaults() : PlacewiseConfig.load(configFile)));
        }
        List<PolicyResult> results = new ArrayList<>();
        Simulation sim = null;
        for (Run run : runs) {
            sim = new Simulation(s, trace, run.settings().sampleWindow(), run.settings().detector().cpuThreshold());
            for (SimPolicy p : SimPolicies.create(policies, run.settings())) {
                if (!run.suffix().isEmpty() && !p.name().startsWith("placewise-") && !p.name().equals("none")) {
                    continue;
                }
                PolicyResult r = sim.run(p);
                r = rename(r, r.name() + run.suffix());
                results.add(r);
                log.printf(Locale.ROOT, "%-24s %9.2f kWh %8d migrations  SLATAH %5.2f %%  PDM %6.3f %%  overloaded %7.1f host-h"
                                + "  C_m %.3f  %6.1f s%n", r.name(), r.energyKwh(), r.migrations(), r.slatah() * 100,
                        r.pdm() * 100, r.overloadHostHours(), r.cmMean(), r.wallS());
            }
        }
        Files.createDirectories(out);
        Report.write(out, s, trace, sim.intervals(), results, command(), load);
        Plots.write(out, results, s.intervalS());
        log.println("report: " + out.resolve("report.json"));
        return 0;
    }

    private record Run(String suffix, PlacewiseSettings settings) {
    }

    private static Map<String, Map<String, String>> withWindow(Map<String, Map<String, String>> sections, int window) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>(sections);
        Map<String, String> sched = new LinkedHashMap<>(out.getOrDefault("scheduler", Map.of()));
        sched.put("sample_window", Integer.toString(Math.max(1, window)));
        out.put("scheduler", sched);
        return out;
    }

    private static PolicyResult rename(PolicyResult r, String name) {
        return new PolicyResult(name, r.energyKwh(), r.migrations(), r.slatah(), r.pdm(), r.slav(), r.esv(),
                r.overloadHostHours(), r.cmMean(), r.activeHostsMean(), r.migrationDataGb(), r.downtimeSTotal(),
                r.decisionMsP50(), r.decisionMsP99(), r.wallS(), r.series(), r.activeUtilization(), r.log());
    }

    static Trace readTraces(List<String> specs, int intervalS) {
        Trace all = null;
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--trace " + spec + ": write planetlab:DIR or bitbrains:DIR");
            }
            String format = spec.substring(0, colon);
            Path dir = Path.of(spec.substring(colon + 1));
            Trace t = switch (format) {
                case "planetlab" -> PlanetLabReader.read(dir);
                case "bitbrains" -> BitbrainsReader.read(dir, intervalS);
                default -> throw new IllegalArgumentException("--trace " + spec + ": unknown format '" + format
                        + "' (planetlab or bitbrains)");
            };
            all = all == null ? t : all.and(t);
        }
        return all;
    }

    private String command() {
        StringBuilder b = new StringBuilder("bin/placewise-sim");
        traces.forEach(t -> b.append(" --trace ").append(t));
        if (bridgeUrl != null) {
            b.append(" --from-bridge ").append(bridgeUrl).append(" --token ***");
        }
        b.append(" --setup ").append(setup).append(" --policies ").append(String.join(",", policies));
        if (configFile != null) {
            b.append(" --config-file ").append(configFile);
        }
        return b.append(" --out ").append(out).toString();
    }

    private static String machine() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%d cores, load average %.2f when the run started, Java %s",
                Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.version"));
    }
}
