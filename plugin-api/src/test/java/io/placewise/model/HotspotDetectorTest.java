package io.placewise.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotspotDetectorTest {
    private static Host host(double cpu, double swap, double nic) {
        return new Host("h", new Capacity(4, 4096, 80, 1000), cpu, 0.5, swap, nic, true);
    }

    private static List<LoadSample> window(double... cpu) {
        List<LoadSample> out = new ArrayList<>();
        for (int i = 0; i < cpu.length; i++) {
            out.add(new LoadSample(Instant.EPOCH.plusSeconds(10L * i), cpu[i], 0.5, 0, 0.1));
        }
        return out;
    }

    @Test
    void singleSampleIsItsOwnForecast() {
        HotspotDetector.Judgement j = HotspotDetector.DEFAULT.judge(host(0.9, 0, 0.1), List.of());
        assertThat(j.isHotspot()).isTrue();
        assertThat(j.cpu()).isTrue();
        assertThat(j.memory()).isFalse();
        assertThat(j.reason()).contains("CPU now 90.0%");
    }

    @Test
    void momentaryPeakIsNotAHotspot() {
        // A flat 30 % window with one 95 % spike: the AR(1) forecast stays low.
        HotspotDetector.Judgement j = HotspotDetector.DEFAULT.judge(host(0.95, 0, 0.1),
                window(0.3, 0.31, 0.29, 0.3, 0.3, 0.31, 0.95));
        assertThat(j.isHotspot()).isFalse();
    }

    @Test
    void swapWritesAndNicAreJudgedSeparately() {
        HotspotDetector.Judgement j = HotspotDetector.DEFAULT.judge(host(0.5, 200, 0.9), List.of());
        assertThat(j.cpu()).isFalse();
        assertThat(j.memory()).isTrue();
        assertThat(j.network()).isTrue();
        assertThat(HotspotDetector.DEFAULT.judge(host(0.5, 150, 0.8), List.of()).isHotspot()).isFalse();
    }
}
