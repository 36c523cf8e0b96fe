package io.placewise.filters;

import static io.placewise.filters.Fixtures.cluster;
import static io.placewise.filters.Fixtures.cpuSample;
import static io.placewise.filters.Fixtures.host;
import static io.placewise.filters.Fixtures.policies;
import static io.placewise.filters.Fixtures.rejection;
import static io.placewise.filters.Fixtures.select;
import static io.placewise.filters.Fixtures.spec;
import static io.placewise.model.WorkloadClass.MIXED;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.LoadSample;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 §3.4.2 hotspots through the real pipeline: a host is turned away only when both its
 * current value and the AR(1) forecast over its window exceed a threshold. The hot host is listed
 * first, so without the filter it would be chosen.
 */
class HotspotFilterTest {
    private static PolicySet hotspot(Map<String, String> params) {
        return policies(List.of(new ComputeFilter(), new HotspotFilter()), List.of(),
                params.isEmpty() ? Map.of() : Map.of("HotspotFilter", params));
    }

    private static List<LoadSample> cpuWindow(double... values) {
        return java.util.stream.IntStream.range(0, values.length).mapToObj(i -> cpuSample(i, values[i])).toList();
    }

    @Test
    void aSustainedCpuHotspotIsRejectedWithItsNumbers() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.92), host("pm2", 0.40)), List.of(),
                Map.of("pm1", cpuWindow(0.86, 0.88, 0.90, 0.92)));
        PlacementResult r = select(c, spec(MIXED), hotspot(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        Rejection pm1 = rejection(r, "pm1").orElseThrow();
        assertThat(pm1.filter()).isEqualTo("HotspotFilter");
        // The window rises steadily (φ > 0), so the forecast lies between its mean 89% and the last 92%.
        assertThat(pm1.reason()).startsWith("hotspot: CPU now 92.0%, AR(1) forecast ")
                .endsWith("over 4 sample(s), threshold 85.0%");
        double forecast = Double.parseDouble(pm1.reason().replaceAll(".*forecast ([0-9.]+)%.*", "$1"));
        assertThat(forecast).isBetween(89.0, 92.0);
    }

    @Test
    void aMomentaryPeakIsNotAHotspot() {
        // Four quiet samples and one spike: the AR(1) forecast falls back towards the mean (≈40%).
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.92), host("pm2", 0.40)), List.of(),
                Map.of("pm1", cpuWindow(0.30, 0.30, 0.30, 0.30, 0.92)));
        PlacementResult r = select(c, spec(MIXED), hotspot(Map.of()));

        assertThat(r.rejected()).isEmpty();
        assertThat(r.selected()).containsExactly("pm1");
    }

    @Test
    void withoutAWindowTheCurrentValueIsTheForecast() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.30, 0, 0.90), host("pm2", 0.40)), List.of());
        PlacementResult r = select(c, spec(MIXED), hotspot(Map.of()));

        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason())
                .isEqualTo("hotspot: NIC (IDC excluded) now 90.0%, AR(1) forecast 90.0% over 1 sample(s), threshold 80.0%");
    }

    @Test
    void swapWritesCountAndTheirThresholdIsAParameter() {
        Instant t = Instant.ofEpochSecond(1_700_000_000L);
        List<LoadSample> swapping = List.of(new LoadSample(t, 0.3, 0.9, 180, 0.1),
                new LoadSample(t.plusSeconds(10), 0.3, 0.9, 210, 0.1), new LoadSample(t.plusSeconds(20), 0.3, 0.9, 200, 0.1));
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.30, 200, 0.1), host("pm2", 0.40)), List.of(), Map.of("pm1", swapping));

        PlacementResult r = select(c, spec(MIXED), hotspot(Map.of()));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(rejection(r, "pm1").orElseThrow().reason()).contains("swap writes now 200 pages/s").contains("threshold 150 pages/s");

        assertThat(select(c, spec(MIXED), hotspot(Map.of("swap_writes_threshold", "250"))).selected()).containsExactly("pm1");
    }

    @Test
    void thresholdsAreStrictAndConfigurable() {
        ClusterSnapshot atThreshold = cluster(List.of(host("pm1", 0.85), host("pm2", 0.40)), List.of());
        assertThat(select(atThreshold, spec(MIXED), hotspot(Map.of())).selected()).containsExactly("pm1");

        ClusterSnapshot hot = cluster(List.of(host("pm1", 0.92), host("pm2", 0.40)), List.of());
        assertThat(select(hot, spec(MIXED), hotspot(Map.of())).selected()).containsExactly("pm2");
        assertThat(select(hot, spec(MIXED), hotspot(Map.of("cpu_threshold", "0.95"))).selected()).containsExactly("pm1");
    }
}
