package io.placewise.bridge.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.placewise.bridge.console.ClusterLoads;
import io.placewise.bridge.console.ClusterLoadsService;
import io.placewise.service.store.Database;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's KPIs in {@code /metrics} (issue 13): per-host load, hotspot and staleness gauges, the
 * cluster's C_m (seed 000 §3.1), audits and migrations by goal, outcome and strategy, and the
 * decision-latency histograms. Kept apart from the HTTP request metrics.
 *
 * <p>Per-host series are not Micrometer meters: they are written at scrape time from the cached
 * {@link ClusterLoads} (one pass over the hosts, no meter per host to register or forget), and at most
 * {@link #MAX_HOST_SERIES} hosts are exported, the busiest first, so a huge cluster cannot make a scrape
 * unbounded.
 */
public final class ClusterMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMetrics.class);
    /** Hosts with per-host series; the rest are counted in {@code placewise_host_series_omitted}. */
    public static final int MAX_HOST_SERIES = 20_000;
    private static final Duration MIN_DECISION = Duration.ofNanos(10_000);
    private static final Duration MAX_DECISION = Duration.ofSeconds(10);

    private final ClusterLoadsService loads;
    private final Database db;

    public ClusterMetrics(ClusterLoadsService loads, Database db) {
        this.loads = loads;
        this.db = db;
    }

    /** The histogram every placement hook records its decision time in, tagged {@code hook}. */
    public static Timer decisionTimer(MeterRegistry registry, String hook) {
        return Timer.builder("placewise.decision").description("time the placement core spent deciding")
                .tag("hook", hook).publishPercentileHistogram()
                .minimumExpectedValue(MIN_DECISION).maximumExpectedValue(MAX_DECISION).register(registry);
    }

    /** Records one audit's decision time (the balancer calls it for every audit, periodic ones too). */
    public static void auditDecided(MeterRegistry registry, String goal, double decisionMs) {
        Timer.builder("placewise.audit.decision").description("time the balancer spent planning an audit")
                .tag("goal", goal).publishPercentileHistogram()
                .minimumExpectedValue(MIN_DECISION).maximumExpectedValue(MAX_DECISION).register(registry)
                .record((long) (decisionMs * 1e6), TimeUnit.NANOSECONDS);
    }

    public void bindTo(PrometheusMeterRegistry registry) {
        Gauge.builder("placewise.cluster.cm", loads, l -> l.current().imbalance().cM())
                .description("C_m: half the spread of the enabled hosts' CPU utilisation around their mean (seed 000 §3.1)")
                .register(registry);
        Gauge.builder("placewise.cluster.cavg", loads, l -> l.current().imbalance().cAvg())
                .description("C_avg: mean CPU utilisation of the enabled hosts").register(registry);
        Gauge.builder("placewise.cluster.hosts", loads, l -> l.current().size())
                .description("hosts known to the bridge").register(registry);
        Gauge.builder("placewise.cluster.hotspots", loads, l -> count(l.current().hotspot()))
                .description("hosts that are hotspots now and by their AR(1) forecast (seed 004 §3.4.2)").register(registry);
        Gauge.builder("placewise.cluster.forecast.hotspots", loads, l -> count(l.current().forecastHotspot()))
                .description("hosts that are not hotspots yet but whose AR(1) forecast is over a threshold").register(registry);
        registry.getPrometheusRegistry().register(new HostSeries());
        registry.getPrometheusRegistry().register(new BalancerCounts());
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** Per-host gauges, from the same columns the dashboard's heat map reads; built once per {@link ClusterLoads}. */
    private final class HostSeries implements MultiCollector {
        private final AtomicReference<Map.Entry<ClusterLoads, MetricSnapshots>> last = new AtomicReference<>();

        @Override
        public MetricSnapshots collect() {
            ClusterLoads l = loads.current();
            Map.Entry<ClusterLoads, MetricSnapshots> cached = last.get();
            if (cached != null && cached.getKey() == l) {
                return cached.getValue();
            }
            MetricSnapshots built = build(l);
            last.set(Map.entry(l, built));
            return built;
        }

        private MetricSnapshots build(ClusterLoads l) {
            int[] order = exported(l);
            List<MetricSnapshot> out = new ArrayList<>(9);
            out.add(gauge("placewise_host_cpu_util", "host CPU utilisation (fraction of the host)", l, order, i -> l.cpuUtil()[i]));
            out.add(gauge("placewise_host_mem_util", "host memory utilisation (fraction)", l, order, i -> l.memUtil()[i]));
            out.add(gauge("placewise_host_nic_util", "host NIC utilisation without IDC traffic (fraction)", l, order,
                    i -> l.nicUtil()[i]));
            out.add(gauge("placewise_host_swap_writes_per_second", "host swap writes, pages/s", l, order,
                    i -> l.swapWritesPerS()[i]));
            out.add(gauge("placewise_host_forecast_cpu_util", "AR(1) forecast of the host's CPU utilisation", l, order,
                    i -> l.forecastCpuUtil()[i]));
            out.add(gauge("placewise_host_hotspot", "1 when the host is a hotspot now and by its forecast (seed 004 §3.4.2)",
                    l, order, i -> l.hotspot()[i] ? 1 : 0));
            out.add(gauge("placewise_host_forecast_hotspot", "1 when only the host's AR(1) forecast is over a threshold",
                    l, order, i -> l.forecastHotspot()[i] ? 1 : 0));
            out.add(gauge("placewise_host_enabled", "1 when the host takes new VMs", l, order, i -> l.enabled()[i] ? 1 : 0));
            if (l.stale() != null) {
                out.add(gauge("placewise_host_stale", "1 when the host's profiler has stopped reporting", l, order,
                        i -> l.stale()[i] ? 1 : 0));
            }
            out.add(GaugeSnapshot.builder().name("placewise_host_series_omitted")
                    .help("hosts left out of the per-host series (over " + MAX_HOST_SERIES + ", the least busy)")
                    .dataPoint(GaugeDataPointSnapshot.builder().value(l.size() - order.length).build()).build());
            return new MetricSnapshots(out);
        }
    }

    /** Host indexes to export: all of them, or the {@link #MAX_HOST_SERIES} busiest by CPU. */
    static int[] exported(ClusterLoads l) {
        int n = l.size();
        if (n <= MAX_HOST_SERIES) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        double[] cpu = l.cpuUtil();
        return java.util.stream.IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -cpu[i]))
                .limit(MAX_HOST_SERIES).mapToInt(Integer::intValue).toArray();
    }

    private static GaugeSnapshot gauge(String name, String help, ClusterLoads l, int[] order,
                                       java.util.function.IntToDoubleFunction value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (int i : order) {
            b.dataPoint(GaugeDataPointSnapshot.builder().value(value.applyAsDouble(i))
                    .labels(Labels.of("host", l.hosts().get(i))).build());
        }
        return b.build();
    }

    /** Audits by goal and outcome, migrations by goal, state and strategy: counted in the database, so they survive restarts. */
    private final class BalancerCounts implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            GaugeSnapshot.Builder audits = GaugeSnapshot.builder().name("placewise_audits")
                    .help("audits stored, by goal and outcome (dry_run: planned only; executed; what_if: on an inline cluster)");
            GaugeSnapshot.Builder migrations = GaugeSnapshot.builder().name("placewise_migrations")
                    .help("plan steps the balancer ran, by the audit's goal, the step's state and its strategy (the one used, else planned)");
            try {
                db.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT goal, what_if, executed, COUNT(*) FROM balancer_audit "
                            + "GROUP BY goal, what_if, executed"); ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String outcome = rs.getBoolean(2) ? "what_if" : rs.getBoolean(3) ? "executed" : "dry_run";
                            audits.dataPoint(GaugeDataPointSnapshot.builder().value(rs.getLong(4))
                                    .labels(Labels.of("goal", rs.getString(1), "outcome", outcome)).build());
                        }
                    }
                    // The strategy the agent used once the step ran, else the one planned (the bridge orders auto).
                    String strategy = "COALESCE(m.strategy_used, m.planned_strategy, m.strategy, m.action)";
                    try (PreparedStatement ps = c.prepareStatement("SELECT a.goal, m.state, " + strategy + ", COUNT(*) "
                            + "FROM balancer_migration m JOIN balancer_audit a ON a.id = m.audit_id "
                            + "GROUP BY a.goal, m.state, " + strategy); ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            migrations.dataPoint(GaugeDataPointSnapshot.builder().value(rs.getLong(4))
                                    .labels(Labels.of("goal", rs.getString(1), "state", rs.getString(2), "strategy", rs.getString(3)))
                                    .build());
                        }
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // A scrape must not fail because the database is briefly away; /healthz reports that.
                LOG.warn("balancer counts for /metrics unavailable: {}", e.toString());
            }
            return MetricSnapshots.of(audits.build(), migrations.build());
        }
    }
}
