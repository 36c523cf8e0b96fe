package io.placewise.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryRuleTest {
    private final ClusterSnapshot cluster = new ClusterSnapshot(
            List.of(BalancerFixtures.host("a", 0.8), BalancerFixtures.host("b", 0.2), BalancerFixtures.host("c", 0.2)),
            List.of(), List.of(), Map.of());

    private static HistoryRecord record(long id, double a, double b, String src, String dst) {
        return new HistoryRecord(id, Instant.EPOCH.plusSeconds(id), Map.of("a", a, "b", b, "c", 0.2), "vm", src, dst);
    }

    @Test
    void latestSimilarRecordWins() {
        List<HistoryRecord> newestFirst = List.of(record(3, 0.2, 0.8, "b", "a"), record(2, 0.78, 0.21, "a", "c"),
                record(1, 0.8, 0.2, "a", "b"));
        assertThat(HistoryRecord.latestSimilar(newestFirst, cluster, 0.05)).map(HistoryRecord::id).contains(2L);
    }

    @Test
    void everyHostMustBeWithinTolerance() {
        assertThat(HistoryRecord.latestSimilar(List.of(record(1, 0.8, 0.30, "a", "b")), cluster, 0.05)).isEmpty();
        assertThat(HistoryRecord.latestSimilar(List.of(record(1, 0.8, 0.30, "a", "b")), cluster, 0.10)).isPresent();
    }

    @Test
    void recordNamingAVanishedHostNeverMatches() {
        HistoryRecord gone = new HistoryRecord(1, Instant.EPOCH, Map.of("a", 0.8, "zz", 0.2), "vm", "a", "zz");
        assertThat(HistoryRecord.latestSimilar(List.of(gone), cluster, 0.5)).isEmpty();
    }
}
