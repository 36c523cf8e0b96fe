package io.placewise.tests;

import static io.placewise.tests.Scenario.filter;
import static io.placewise.tests.Scenario.patch;
import static io.placewise.tests.Scenario.rejection;
import static io.placewise.tests.Scenario.rejections;
import static io.placewise.tests.Scenario.select;
import static io.placewise.tests.Scenario.texts;
import static io.placewise.tests.Scenario.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotspotFilter over REST (seed 004 §3.4.2, thresholds of §4.1: CPU 85 %, 150 swap page writes/s,
 * NIC 80 % with IDC excluded). Load windows arrive as profiler reports through
 * {@code POST /v1/hosts/{name}/samples}; a host is a hotspot only when its current value AND the
 * AR(1) forecast {@code u(k+1) = μ + φ(u(k) − μ)} over its window exceed the threshold, μ the window
 * mean and φ = Σ d(i)·d(i+1) / Σ d(i)² (d = deviation from μ).
 *
 * <p>The windows, five samples each, and their forecasts by hand:
 * <ul>
 * <li>{@code hot}, CPU 0.86 0.88 0.90 0.92 0.94 (sustained climb): μ = 0.90, d = −.04 −.02 0 .02 .04,
 *     Σd² = 0.0040, Σd·d' = .0008 + 0 + 0 + .0008 = 0.0016, φ = 0.4, forecast 0.90 + 0.4·0.04 = 0.916:
 *     94 % now and 91.6 % next, both over 85 % → rejected.</li>
 * <li>{@code spike}, CPU 0.40 0.40 0.40 0.40 0.95 (one momentary peak): μ = 0.51, d = −.11 ×4, .44,
 *     Σd² = 4·0.0121 + 0.1936 = 0.242, Σd·d' = 3·0.0121 − .11·.44 = 0.0363 − 0.0484 = −0.0121, φ = −0.05,
 *     forecast 0.51 − 0.05·0.44 = 0.488 ≤ 85 % → not a hotspot although it is at 95 % now.</li>
 * <li>{@code single}: one sample of CPU 0.95 — no window to fit, the forecast is the sample itself:
 *     rejected. It is the window, not the current value, that saves {@code spike}.</li>
 * <li>{@code swapper}, swap writes 160 170 180 190 200 pages/s: μ = 180, d = −20 −10 0 10 20, Σd² = 1000,
 *     Σd·d' = 200 + 0 + 0 + 200 = 400, φ = 0.4, forecast 180 + 0.4·20 = 188 > 150 → rejected.</li>
 * <li>{@code burst}, swap writes 10 10 10 10 400: same shape as {@code spike}: μ = 88, φ = −0.05,
 *     forecast 88 − 0.05·312 = 72.4 ≤ 150 → passes.</li>
 * <li>{@code nic}, NIC 0.82 0.84 0.86 0.88 0.90: μ = 0.86, φ = 0.4 as for {@code hot}, forecast
 *     0.86 + 0.4·0.04 = 0.876 > 80 % → rejected.</li>
 * <li>{@code calm}: one sample of CPU 5 %, the least-loaded host (the others stay at 10 % CPU).</li>
 * </ul>
 */
class HotspotRestTest {
    static final String CLUSTER;

    static {
        StringBuilder hosts = new StringBuilder();
        for (String h : new String[] {"hot", "spike", "single", "swapper", "burst", "nic", "calm"}) {
            if (hosts.length() > 0) {
                hosts.append(",\n");
            }
            hosts.append("{\"name\": \"").append(h).append("\", \"capacity\": {\"vcpus\": 16, \"memory_mb\": 32768,"
                    + " \"disk_gb\": 500, \"nic_mbps\": 1000}, \"cpu_util\": 0.10, \"mem_util\": 0.30,"
                    + " \"swap_writes_per_s\": 0, \"nic_util\": 0.10}");
        }
        CLUSTER = "{\"hosts\": [" + hosts + "], \"vms\": []}";
    }

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of());
        Scenario.put(bridge, CLUSTER);
        window("hot", "cpu_util", 0.86, 0.88, 0.90, 0.92, 0.94);
        window("spike", "cpu_util", 0.40, 0.40, 0.40, 0.40, 0.95);
        window("single", "cpu_util", 0.95);
        window("swapper", "swap_writes_per_s", 160, 170, 180, 190, 200);
        window("burst", "swap_writes_per_s", 10, 10, 10, 10, 400);
        window("nic", "nic_util", 0.82, 0.84, 0.86, 0.88, 0.90);
        window("calm", "cpu_util", 0.05);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    /** Posts one profiler report per value, ten seconds apart, changing only {@code field}. */
    private void window(String host, String field, double... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            Scenario.sample(bridge, host, String.format("\"at\": \"2026-01-01T00:00:%02dZ\", \"%s\": %s", i * 10, field, values[i]));
        }
    }

    @Test
    void sustainedOverloadIsRejectedAndAMomentarySpikeIsNot() throws Exception {
        Bridge.Reply r = select(bridge, vm(""));

        assertThat(rejections(r)).containsOnlyKeys("hot", "single", "swapper", "nic");
        assertThat(rejections(r).values()).allSatisfy(v -> assertThat(v).startsWith("HotspotFilter: hotspot: "));
        assertThat(rejection(r, "hot").get("reason").asText())
                .isEqualTo("hotspot: CPU now 94.0%, AR(1) forecast 91.6% over 5 sample(s), threshold 85.0%");
        assertThat(rejection(r, "single").get("reason").asText())
                .isEqualTo("hotspot: CPU now 95.0%, AR(1) forecast 95.0% over 1 sample(s), threshold 85.0%");
        assertThat(rejection(r, "swapper").get("reason").asText())
                .isEqualTo("hotspot: swap writes now 200 pages/s, AR(1) forecast 188 pages/s over 5 sample(s), threshold 150 pages/s");
        assertThat(rejection(r, "nic").get("reason").asText())
                .isEqualTo("hotspot: NIC (IDC excluded) now 90.0%, AR(1) forecast 87.6% over 5 sample(s), threshold 80.0%");

        // spike (95 % now) and burst (400 pages/s now) pass; the least-loaded calm host is chosen.
        assertThat(Scenario.weighed(r)).containsOnlyKeys("spike", "burst", "calm");
        assertThat(texts(r.body().get("selected"))).containsExactly("calm");
    }

    @Test
    void theHostsForecastIsTheOneTheFilterUsed() throws Exception {
        var hot = bridge.get("/v1/hosts/hot", Bridge.READER).body();
        assertThat(hot.get("cpu_util").asDouble()).isEqualTo(0.94);
        assertThat(hot.get("forecast").get("cpu_util").asDouble()).isCloseTo(0.916, within(1e-9));
        // The filter's reason quotes the forecast it judged on: the one GET /v1/hosts shows, per resource.
        Bridge.Reply r = filter(bridge, vm(""));
        assertThat(rejection(r, "hot").get("reason").asText()).contains(String.format(Locale.ROOT,
                "CPU now 94.0%%, AR(1) forecast %.1f%%", hot.get("forecast").get("cpu_util").asDouble() * 100));
        var nic = bridge.get("/v1/hosts/nic", Bridge.READER).body();
        assertThat(rejection(r, "nic").get("reason").asText()).contains(String.format(Locale.ROOT,
                "AR(1) forecast %.1f%%", nic.get("forecast").get("nic_util").asDouble() * 100));
        var swapper = bridge.get("/v1/hosts/swapper", Bridge.READER).body();
        assertThat(rejection(r, "swapper").get("reason").asText()).contains(String.format(Locale.ROOT,
                "AR(1) forecast %.0f pages/s", swapper.get("forecast").get("swap_writes_per_s").asDouble()));
        // spike is over 85 % now but its forecast is not: the filter lets it pass, as the forecast shown says.
        var spike = bridge.get("/v1/hosts/spike", Bridge.READER).body();
        assertThat(spike.get("cpu_util").asDouble()).isGreaterThan(0.85);
        assertThat(spike.get("forecast").get("cpu_util").asDouble()).isCloseTo(0.488, within(1e-9)).isLessThan(0.85);
        assertThat(rejections(r)).doesNotContainKey("spike");
    }

    @Test
    void aHostBackBelowTheThresholdNowIsNoHotspotWhateverItsPast() throws Exception {
        // hot drops to 60 %. Window 0.86 … 0.94, 0.60: μ = 0.85, d = .01 .03 .05 .07 .09 −.25,
        // Σd² = 0.079, Σd·d' = .0003 + .0015 + .0035 + .0063 − .0225 = −0.0109, φ = −0.138, forecast
        // 0.85 + 0.138·0.25 = 0.8845: over 85 %, but "now" is not, and both must be.
        Scenario.sample(bridge, "hot", "\"at\": \"2026-01-01T00:00:50Z\", \"cpu_util\": 0.60");
        assertThat(bridge.get("/v1/hosts/hot", Bridge.READER).body().get("forecast").get("cpu_util").asDouble())
                .isCloseTo(0.85 + 0.0109 / 0.079 * 0.25, within(1e-9));
        assertThat(rejections(filter(bridge, vm("")))).doesNotContainKey("hot");
    }

    @Test
    void thresholdsAndTheSwitchApplyAtRunTime() throws Exception {
        // 94 % now is no longer over a 95 % threshold; the single 95.0 % sample is not over it either.
        patch(bridge, "HotspotFilter", "{\"params\": {\"cpu_threshold\": 0.95, \"swap_writes_threshold\": 190}}");
        Bridge.Reply r = filter(bridge, vm(""));
        // swapper: 200 now, forecast 188 ≤ 190 → now a passing host; nic unchanged.
        assertThat(rejections(r)).containsOnlyKeys("nic");

        patch(bridge, "HotspotFilter", "{\"enabled\": false}");
        assertThat(filter(bridge, vm("")).body().get("rejected")).isEmpty();
    }
}
