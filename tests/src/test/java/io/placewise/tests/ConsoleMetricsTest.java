package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's KPIs in {@code /metrics} after real work on the bridge (a cluster with a hotspot, a
 * placement, an executed hotspot audit), and {@code etc/grafana/placewise.json} against them: every
 * metric the Grafana dashboard queries is one the running bridge exports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleMetricsTest {
    private static final Path GRAFANA = io.placewise.service.testing.Launcher.HOME.resolve("etc/grafana/placewise.json");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "avg", "min", "max", "count", "topk", "bottomk", "rate", "irate",
            "increase", "delta", "histogram_quantile", "label_values", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "abs", "clamp_min", "clamp_max", "sort", "sort_desc");
    private CompletingAgent agent;
    private Bridge bridge;
    private String metrics;
    /** {@code /metrics} before the hotspot audit's move. */
    private String beforeMove;

    @BeforeAll
    void work() throws Exception {
        agent = new CompletingAgent();
        bridge = new Bridge(Files.createTempDirectory("console-metrics"), agent.balancer());
        assertThat(bridge.admin("PUT", "/v1/cluster", CliEndToEndTest.CLUSTER).status()).isEqualTo(200);
        assertThat(bridge.select(Clusters.spec(2, "")).status()).isEqualTo(200);
        beforeMove = bridge.get("/metrics", null).text();
        Bridge.Reply audit = bridge.admin("POST", "/v1/audits", "{\"goal\": \"hotspot\", \"dry_run\": false}");
        assertThat(audit.status()).isEqualTo(201);
        assertThat(bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\"}").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> bridge.get("/v1/migrations", Bridge.READER).body().findValuesAsText("state")
                .stream().allMatch("completed"::equals));
        Bridge.Reply r = bridge.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        metrics = r.text();
    }

    @AfterAll
    void stop() {
        bridge.close();
        agent.close();
    }

    private double value(String series) {
        return value(metrics, series);
    }

    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in /metrics");
    }

    @Test
    void perHostGaugesShowLoadAndHotspots() {
        assertThat(value(beforeMove, "placewise_host_cpu_util{host=\"pm1\"}")).isEqualTo(0.92);
        assertThat(value(beforeMove, "placewise_host_hotspot{host=\"pm1\"}")).isEqualTo(1.0);
        assertThat(value(beforeMove, "placewise_host_forecast_hotspot{host=\"pm1\"}")).isEqualTo(0.0);
        // The executed hotspot audit moved one of pm1's two 46 % VMs, and its load with it (issue 10).
        assertThat(value("placewise_host_cpu_util{host=\"pm1\"}")).isCloseTo(0.46, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value("placewise_host_hotspot{host=\"pm1\"}")).isEqualTo(0.0);
        assertThat(value("placewise_host_hotspot{host=\"pm3\"}")).isEqualTo(0.0);
        assertThat(value("placewise_host_enabled{host=\"pm2\"}")).isEqualTo(1.0);
        assertThat(value("placewise_host_mem_util{host=\"pm2\"}")).isBetween(0.0, 1.0);
        assertThat(value("placewise_host_series_omitted")).isEqualTo(0.0);
        assertThat(value("placewise_cluster_hosts")).isEqualTo(3.0);
    }

    @Test
    void clusterImbalanceIsTheBalancersCm() throws Exception {
        JsonNode loads = bridge.get("/v1/cluster/loads", Bridge.READER).body();
        assertThat(value("placewise_cluster_cm")).isEqualTo(loads.get("c_m").asDouble());
        assertThat(value("placewise_cluster_cavg")).isEqualTo(loads.get("c_avg").asDouble());
        // C_m of seed 000 §3.1 over pm1..pm3 as the bridge sees them after the executed moves.
        double[] cpu = {loads.get("cpu_util").get(0).asDouble(), loads.get("cpu_util").get(1).asDouble(), loads.get("cpu_util").get(2).asDouble()};
        double avg = (cpu[0] + cpu[1] + cpu[2]) / 3;
        double max = Math.max(cpu[0], Math.max(cpu[1], cpu[2]));
        double min = Math.min(cpu[0], Math.min(cpu[1], cpu[2]));
        assertThat(value("placewise_cluster_cm")).isCloseTo((Math.abs(max - avg) + Math.abs(min - avg)) / 2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void auditsAndMigrationsAreCountedByGoalOutcomeAndStrategy() {
        assertThat(value("placewise_audits{goal=\"hotspot\",outcome=\"executed\"}")).isEqualTo(1.0);
        assertThat(value("placewise_audits{goal=\"balance\",outcome=\"dry_run\"}")).isEqualTo(1.0);
        assertThat(value("placewise_migrations{goal=\"hotspot\",state=\"completed\",strategy=\"precopy\"}")).isPositive();
    }

    @Test
    void decisionLatencyIsAHistogramPerHook() {
        assertThat(metrics).contains("# TYPE placewise_decision_seconds histogram");
        assertThat(value("placewise_decision_seconds_count{hook=\"select\"}")).isEqualTo(1.0);
        assertThat(metrics).containsPattern("placewise_decision_seconds_bucket\\{hook=\"select\",le=\"[0-9.eE+-]+\"} 1");
        assertThat(value("placewise_audit_decision_seconds_count{goal=\"hotspot\"}")).isEqualTo(1.0);
        assertThat(value("placewise_audit_decision_seconds_count{goal=\"balance\"}")).isEqualTo(1.0);
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesExists() throws Exception {
        JsonNode dash = Bridge.JSON.readTree(Files.readString(GRAFANA));
        List<String> queries = new ArrayList<>(dash.findValuesAsText("expr"));
        dash.path("templating").path("list").forEach(v -> queries.add(v.path("definition").asText()));
        assertThat(queries).hasSizeGreaterThan(10);
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> queried = new TreeSet<>();
        queries.forEach(q -> queried.addAll(metricNames(q)));
        assertThat(queried).contains("placewise_cluster_cm", "placewise_host_cpu_util", "placewise_decision_seconds_bucket",
                "placewise_migrations", "placewise_audits");
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertThat(missing).as("metrics the Grafana dashboard queries but /metrics lacks").isEmpty();
    }

    /** The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or ranges. */
    static Set<String> metricNames(String promql) {
        String q = promql.replaceAll("label_values\\(([^,)]+)(,[^)]*)?\\)", "$1")
                .replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(q);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
