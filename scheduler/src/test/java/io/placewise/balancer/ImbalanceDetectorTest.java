package io.placewise.balancer;

import static io.placewise.balancer.BalancerFixtures.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImbalanceDetectorTest {
    @Test
    void oneNodeWithHalfTheWorkOfFourTriggersAtTenPercent() {
        // Seed 000 §4.1: with the paper's signed formula this would be (0.4 − 0.133)/2 and still trigger,
        // but e.g. 0.5/0.3/0.3/0.1 would give 0 with the signed sum; SPEC.md uses distances.
        ImbalanceDetector.Imbalance imb = ImbalanceDetector.measure(BalancerFixtures.seed000().hosts());
        assertThat(imb.cAvg()).isCloseTo(0.40, within(1e-9));
        assertThat(imb.cM()).isCloseTo((0.40 + 0.40 / 3) / 2, within(1e-9));
        assertThat(imb.maxHost()).isEqualTo("node1");
        assertThat(imb.triggers(0.1)).isTrue();
    }

    @Test
    void distancesNotSignedDifferences() {
        // Signed: (0.2 + (−0.2)) / 2 = 0 would never trigger; distances: 0.2.
        ImbalanceDetector.Imbalance imb = ImbalanceDetector.measure(List.of(host("a", 0.6), host("b", 0.4), host("c", 0.2)));
        assertThat(imb.cM()).isCloseTo(0.2, within(1e-9));
        assertThat(imb.triggers(0.1)).isTrue();
        assertThat(imb.triggers(0.2)).isFalse();
    }

    @Test
    void balancedOrEmptyClusterDoesNotTrigger() {
        assertThat(ImbalanceDetector.measure(List.of(host("a", 0.5), host("b", 0.45))).triggers(0.1)).isFalse();
        assertThat(ImbalanceDetector.measure(List.of()).triggers(0.0)).isFalse();
    }
}
