package io.placewise.precopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreCopyModelTest {
    private static final double M_MIB = 1024;      // 1 GiB
    private static final double B = 1000;          // 1 Gbit/s
    private static final double M = M_MIB * DataUnits.MBIT_PER_MIB;   // in Mbit
    private static final double H = 256 * DataUnits.MBIT_PER_KIB;     // in Mbit
    private static final int N = 30;

    @Test
    void barrierMatchesTheFigureQuotedInSeed003() {
        // §3: "an 800 MB memory VM migrated on a 200 Mbit/s network ... p reaches 151.4 Mbit/s".
        double barrier = PreCopyModel.barrierMbps(PreCopyInput.of(800, 200, 0));
        assertThat(barrier).isCloseTo(151.4, within(0.05));
    }

    @Test
    void barrierIsEq5() {
        double expected = Math.pow(H / M, 1.0 / (N - 1)) * B;
        assertThat(PreCopyModel.barrierMbps(PreCopyInput.of(M_MIB, B, 0))).isCloseTo(expected, within(1e-9));
        assertThat(expected).isCloseTo(750.65, within(0.01));
    }

    @Test
    void zeroDirtyRateIsOneRoundOfMOverB() {
        PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, 0));
        assertThat(e.rounds()).isEqualTo(1);
        assertThat(e.downtimeS()).isZero();
        assertThat(e.totalS()).isCloseTo(M / B, within(1e-12));
        assertThat(e.dataMib()).isCloseTo(M_MIB, within(1e-9));
        assertThat(e.converges()).isTrue();
    }

    /** Closed forms for a constant rate r = p/B &lt; barrier: t_i = (M/B)·r^(i−1), n = first i+1 with M·r^i ≤ h. */
    @ParameterizedTest
    @ValueSource(doubles = {1, 10, 100, 300, 500, 700, 750})
    void constantRateBelowBarrierConvergesAsTheClosedFormSays(double p) {
        double r = p / B;
        int i = 1;
        while (M * Math.pow(r, i) > H) {
            i++;
        }
        int n = Math.min(i + 1, N);
        double downtime = (M / B) * Math.pow(r, n - 1);
        double total = (M / B) * (1 - Math.pow(r, n)) / (1 - r);

        PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, p));

        assertThat(e.converges()).isTrue();
        assertThat(e.rounds()).isEqualTo(n).isLessThanOrEqualTo(N);
        assertThat(e.downtimeS()).isCloseTo(downtime, within(1e-9)).isLessThanOrEqualTo(H / B * (1 + 1e-9));
        assertThat(e.totalS()).isCloseTo(total, within(1e-9));
        assertThat(e.dataMib()).isCloseTo(total * B / DataUnits.MBIT_PER_MIB, within(1e-6));
    }

    @Test
    void exactlyAtTheBarrierConvergesInTheLastRound() {
        double barrier = PreCopyModel.barrierMbps(PreCopyInput.of(M_MIB, B, 0));
        PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, barrier));
        assertThat(e.converges()).isTrue();
        assertThat(e.rounds()).isEqualTo(N);
        assertThat(e.downtimeS()).isCloseTo(H / B, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(doubles = {760, 800, 900, 999})
    void betweenBarrierAndBandwidthRunsAllRoundsAndPausesLonger(double p) {
        double r = p / B;
        PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, p));
        assertThat(e.converges()).isFalse();
        assertThat(e.rounds()).isEqualTo(N);
        assertThat(e.downtimeS()).isCloseTo((M / B) * Math.pow(r, N - 1), within(1e-9))
                .isGreaterThan(H / B).isLessThan(M / B);
        assertThat(e.totalS()).isCloseTo((M / B) * (1 - Math.pow(r, N)) / (1 - r), within(1e-6));
    }

    /** With p ≥ B every round re-sends all of M (dirty memory is capped at M): the pause is a full M/B. */
    @ParameterizedTest
    @ValueSource(doubles = {1000, 1001, 1200, 5000})
    void atOrAboveBandwidthNeverConvergesAndTheLastRoundSendsAllMemory(double p) {
        PreCopyEstimate e = PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, p));
        assertThat(e.converges()).isFalse();
        assertThat(e.rounds()).isEqualTo(N);
        assertThat(e.downtimeS()).isCloseTo(M / B, within(1e-9));
        assertThat(e.totalS()).isCloseTo(N * M / B, within(1e-6));
        assertThat(e.dataMib()).isCloseTo(N * M_MIB, within(1e-6));
        assertThat(e.redundancy(M_MIB)).isCloseTo(N, within(1e-9));
    }

    @Test
    void fewerRoundsAllowedMeansALowerBarrier() {
        PreCopyInput ten = new PreCopyInput(M_MIB, B, 0, 10, 256);
        assertThat(PreCopyModel.barrierMbps(ten)).isLessThan(PreCopyModel.barrierMbps(PreCopyInput.of(M_MIB, B, 0)));
        assertThat(PreCopyModel.estimate(ten.withDirtyRate(700)).converges()).isFalse();
        assertThat(PreCopyModel.estimate(PreCopyInput.of(M_MIB, B, 700)).converges()).isTrue();
    }

    @Test
    void perRoundRatesLetAThrottledVmConverge() {
        // 1200 Mbit/s never converges; throttled to C·B = 800 from round 2... still above the 750 barrier,
        // but at 0.5·B from round 2 the dirty memory halves every round.
        PreCopyInput in = PreCopyInput.of(M_MIB, B, 1200);
        PreCopyEstimate throttled = PreCopyModel.estimate(in, round -> round == 1 ? 1200 : 500);
        assertThat(PreCopyModel.estimate(in).converges()).isFalse();
        assertThat(throttled.converges()).isTrue();
        // Round 1 fills all memory (capped), then M·0.5^k ≤ h: k = 12, so n = 1 + 12 + 1.
        assertThat(throttled.rounds()).isEqualTo(14);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> PreCopyInput.of(0, B, 1)).hasMessageContaining("memory_mb");
        assertThatThrownBy(() -> PreCopyInput.of(M_MIB, -1, 1)).hasMessageContaining("bandwidth_mbps");
        assertThatThrownBy(() -> PreCopyInput.of(M_MIB, B, -1)).hasMessageContaining("dirty_rate_mbps");
        assertThatThrownBy(() -> PreCopyInput.of(M_MIB, B, Double.NaN)).hasMessageContaining("dirty_rate_mbps");
        assertThatThrownBy(() -> new PreCopyInput(M_MIB, B, 1, 1, 256)).hasMessageContaining("max_rounds");
        assertThatThrownBy(() -> new PreCopyInput(M_MIB, B, 1, 30, 0)).hasMessageContaining("threshold_kb");
    }

    @Test
    void unitsAreMibForMemoryAndDecimalMegabitsForRates() {
        assertThat(DataUnits.mibToMbit(1)).isEqualTo(8.388608);
        assertThat(DataUnits.bytesPerSecondToMbps(125_000_000)).isEqualTo(1000.0);
        assertThat(DataUnits.mbpsToMibPerSecond(DataUnits.mibPerSecondToMbps(50))).isCloseTo(50, within(1e-12));
    }
}
