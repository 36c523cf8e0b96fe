package io.placewise.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.model.Ar1Forecast;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import io.placewise.model.WorkloadClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ClusterMapper without HTTP: a PUT /v1/cluster body to a snapshot and back, the host-merge rule, the forecast shown. */
class ClusterMapperTest {
    @Test
    void aHostWithoutMeasuredLoadGetsTheLoadOfItsVms() {
        ClusterSnapshot s = ClusterMapper.toSnapshot(MapperFixtures.twoHosts());
        Host pm1 = s.host("pm1");
        assertThat(pm1.cpuUtil()).isEqualTo(0.4);
        assertThat(pm1.availabilityZone()).isEqualTo("az1");
        Host pm2 = s.host("pm2");
        // No host fields: CPU is the sum of its VMs', memory their used MB over the host's, NIC the external traffic.
        assertThat(pm2.cpuUtil()).isEqualTo(0.3);
        assertThat(pm2.memUtil()).isCloseTo(0.5 * 4096 / 16384, within(1e-12));
        assertThat(pm2.nicUtil()).isCloseTo(100.0 / 1000, within(1e-12));
        assertThat(pm2.enabled()).isTrue();
        assertThat(s.vm("b").workload()).isEqualTo(WorkloadClass.DISK_IO);
        assertThat(s.vmsOn("pm1")).extracting(v -> v.id()).containsExactly("a");
    }

    @Test
    void theWireFormRoundTrips() {
        ClusterSnapshot s = ClusterMapper.toSnapshot(MapperFixtures.twoHosts());
        ClusterSnapshot again = ClusterMapper.toSnapshot(ClusterMapper.toDto(s));
        assertThat(again).isEqualTo(s);
        assertThat(ClusterMapper.toDto(s).traffic()).singleElement()
                .satisfies(t -> assertThat(List.of(t.src(), t.dst(), t.mbps())).containsExactly("a", "b", 100.0));
    }

    @Test
    void mergingAHostKeepsWhatIsNotGivenAndReplacesWhatIs() {
        Host known = new Host("pm1", new Capacity(8, 16384, 100, 1000), 0.4, 0.5, 3, 0.1, false, "az1");
        Host merged = ClusterMapper.mergeHost(known, "pm1", known.capacity(), 0.9, null, null, 0.2, null, null);
        assertThat(merged).isEqualTo(new Host("pm1", known.capacity(), 0.9, 0.5, 3, 0.2, false, "az1"));
        assertThat(ClusterMapper.mergeHost(known, "pm1", known.capacity(), null, null, null, null, true, "az2"))
                .isEqualTo(new Host("pm1", known.capacity(), 0.4, 0.5, 3, 0.1, true, "az2"));
        // A host the bridge does not know starts idle, enabled and in no zone.
        assertThat(ClusterMapper.mergeHost(null, "new", known.capacity(), null, 0.3, null, null, null, " "))
                .isEqualTo(new Host("new", known.capacity(), 0, 0.3, 0, 0, true, null));
    }

    @Test
    void theForecastShownIsTheHotspotRulesForecast() {
        Host h = new Host("pm1", new Capacity(8, 16384, 100, 1000), 0.94, 0.5, 0, 0.1, true);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<LoadSample> window = List.of(new LoadSample(t, 0.86, 0.5, 0, 0.1), new LoadSample(t.plusSeconds(10), 0.88, 0.5, 0, 0.1),
                new LoadSample(t.plusSeconds(20), 0.90, 0.5, 0, 0.1), new LoadSample(t.plusSeconds(30), 0.92, 0.5, 0, 0.1),
                new LoadSample(t.plusSeconds(40), 0.94, 0.5, 0, 0.1));
        ClusterSnapshot s = new ClusterSnapshot(List.of(h), List.of(), List.of(), Map.of("pm1", window));
        ClusterDtos.HostStateDto state = ClusterMapper.hostState(s, h, true);
        assertThat(state.forecast().cpuUtil()).isEqualTo(Ar1Forecast.next(window, LoadSample::cpuUtil, h.cpuUtil()));
        assertThat(state.forecast().window()).isEqualTo(5);
        assertThat(HotspotDetector.DEFAULT.judge(h, window).reason())
                .contains(String.format(java.util.Locale.ROOT, "AR(1) forecast %.1f%%", state.forecast().cpuUtil() * 100));
        // Without a window the forecast is the value now.
        ClusterSnapshot bare = new ClusterSnapshot(List.of(h), List.of(), List.of(), Map.of());
        assertThat(ClusterMapper.hostState(bare, h, false).forecast().cpuUtil()).isEqualTo(0.94);
        assertThat(ClusterMapper.hostState(bare, h, false).samples()).isNull();
    }
}
