package io.placewise.precopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThrottlePlanTest {
    private final ThrottlePlan plan = ThrottlePlan.DEFAULT;

    @Test
    void eq9TargetsCTimesB() {
        // e = 0.8 · 200 · 100 / 320 = 50 %
        assertThat(plan.nextSharePct(100, 320, 200)).isCloseTo(50, within(1e-12));
        // relative to the current share: 0.8 · 200 · 50 / 200 = 40 %
        assertThat(plan.nextSharePct(50, 200, 200)).isCloseTo(40, within(1e-12));
    }

    @Test
    void seed003Fig7Example() {
        // §5: 160 Mbit/s dirty over ~104 Mbit/s sent at C = 0.8 gives ~52 %.
        assertThat(plan.nextSharePct(100, 160, 104)).isCloseTo(52, within(1e-9));
    }

    @Test
    void neverBelowTheFloor() {
        assertThat(plan.nextSharePct(100, 10_000, 200)).isEqualTo(20);
        assertThat(plan.nextSharePct(20, 1000, 200)).isEqualTo(20);
        assertThat(new ThrottlePlan(0.8, 35, 100).nextSharePct(100, 10_000, 200)).isEqualTo(35);
    }

    @Test
    void neverAboveTheCeiling() {
        assertThat(plan.nextSharePct(100, 50, 1000)).isEqualTo(100);
        assertThat(plan.withCeiling(60).nextSharePct(50, 50, 1000)).isEqualTo(60);
    }

    @Test
    void quietRoundsReleaseTheThrottle() {
        assertThat(plan.nextSharePct(30, 0, 1000)).isEqualTo(100);
        assertThat(plan.withCeiling(70).nextSharePct(30, 0, 1000)).isEqualTo(70);
    }

    @Test
    void aVmAlreadyBelowTheFloorIsNeverRaised() {
        ThrottlePlan small = plan.withCeiling(10);
        assertThat(small.floorPct()).isEqualTo(10);
        assertThat(small.nextSharePct(10, 5, 1000)).isEqualTo(10);
        assertThat(small.nextSharePct(10, 5000, 100)).isEqualTo(10);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ThrottlePlan(0, 20, 100)).hasMessageContaining("C");
        assertThatThrownBy(() -> new ThrottlePlan(0.8, 0, 100)).hasMessageContaining("floor");
        assertThatThrownBy(() -> new ThrottlePlan(0.8, 50, 40)).hasMessageContaining("ceiling");
    }
}
