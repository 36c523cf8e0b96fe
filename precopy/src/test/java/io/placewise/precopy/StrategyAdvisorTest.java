package io.placewise.precopy;

import static io.placewise.precopy.MigrationStrategy.COMPRESSED;
import static io.placewise.precopy.MigrationStrategy.POSTCOPY;
import static io.placewise.precopy.MigrationStrategy.PRECOPY;
import static io.placewise.precopy.MigrationStrategy.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StrategyAdvisorTest {
    private final StrategyAdvisor advisor = StrategyAdvisor.DEFAULT;

    /** 1 GiB over 1 Gbit/s: barrier 750.6, near (0.8) 600.5; plain pre-copy re-sends ≤ 10 % up to p ≈ 90. */
    @ParameterizedTest(name = "p={0} tolerates={1} -> {2}")
    @CsvSource({
            "0,     true,  PRECOPY",
            "0,     false, PRECOPY",
            "50,    false, PRECOPY",
            "90,    true,  PRECOPY",
            "100,   false, COMPRESSED",
            "300,   true,  COMPRESSED",
            "600,   false, COMPRESSED",
            "601,   false, POSTCOPY",
            "601,   true,  THROTTLED",
            "750,   true,  THROTTLED",
            "900,   false, POSTCOPY",
            "1000,  true,  THROTTLED",
            "2900,  true,  THROTTLED",
            "3100,  true,  POSTCOPY",
            "5000,  false, POSTCOPY",
    })
    void gridOverDirtyRateAndTolerance(double p, boolean tolerates, MigrationStrategy expected) {
        StrategyAdvice advice = advisor.advise(p, 1000, 1024, tolerates);
        assertThat(advice.strategy()).isEqualTo(expected);
        assertThat(advice.reason()).contains("barrier 750.6 Mbit/s").isNotBlank();
        assertThat(advice.barrierMbps()).isBetween(750.5, 750.7);
    }

    @ParameterizedTest(name = "M={0} B={1} p={2} -> {3}")
    @CsvSource({
            // a small VM on a slow link: 256 MiB at 400 Mbit/s, barrier ≈ 315, near ≈ 252
            "256,  400,  20,   PRECOPY",
            "256,  400,  200,  COMPRESSED",
            "256,  400,  260,  POSTCOPY",
            // a big VM on a fast link: 16 GiB at 10 Gbit/s, barrier ≈ 6822, near ≈ 5458
            "16384, 10000, 500,  PRECOPY",
            "16384, 10000, 5000, COMPRESSED",
            "16384, 10000, 6000, POSTCOPY",
    })
    void gridOverSizesAndLinks(double memoryMib, double bandwidth, double p, MigrationStrategy expected) {
        assertThat(advisor.advise(p, bandwidth, memoryMib, false).strategy()).isEqualTo(expected);
    }

    @Test
    void nearIsConfigurable() {
        assertThat(advisor.advise(500, 1000, 1024, true).strategy()).isEqualTo(COMPRESSED);
        assertThat(advisor.withNearFraction(0.5).advise(500, 1000, 1024, true).strategy()).isEqualTo(THROTTLED);
        assertThat(advisor.withNearFraction(0.5).advise(500, 1000, 1024, false).strategy()).isEqualTo(POSTCOPY);
    }

    @Test
    void reasonsSayWhy() {
        assertThat(advisor.advise(10, 1000, 1024, true).reason()).contains("compression would cost CPU");
        assertThat(advisor.advise(300, 1000, 1024, true).reason()).contains("XBZRLE");
        assertThat(advisor.advise(900, 1000, 1024, true).reason()).contains("Eq. 9").contains("does not converge");
        assertThat(advisor.advise(900, 1000, 1024, false).reason()).contains("must not be slowed");
        assertThat(advisor.advise(4000, 1000, 1024, true).reason()).contains("CPU floor");
    }

    @Test
    void rejectsBadNearFraction() {
        assertThatThrownBy(() -> advisor.withNearFraction(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> advisor.withNearFraction(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wireNames() {
        assertThat(MigrationStrategy.fromWire("Throttled")).isEqualTo(THROTTLED);
        assertThat(PRECOPY.wireName()).isEqualTo("precopy");
        assertThatThrownBy(() -> MigrationStrategy.fromWire("fast")).hasMessageContaining("auto, precopy");
    }
}
