package io.placewise.weighers;

import static io.placewise.weighers.Fixtures.cluster;
import static io.placewise.weighers.Fixtures.host;
import static io.placewise.weighers.Fixtures.policies;
import static io.placewise.weighers.Fixtures.raw;
import static io.placewise.weighers.Fixtures.select;
import static io.placewise.weighers.Fixtures.spec;
import static io.placewise.model.WorkloadClass.MIXED;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.HistoryRecord;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 §3.1 step 3 through the real pipeline, next to BalanceWeigher: today pm2 is the least
 * loaded (BalanceWeigher's choice), pm3 what the latest similar record chose.
 */
class HistoryMatchWeigherTest {
    private static final String NAME = "HistoryMatchWeigher";
    private static final ClusterSnapshot TODAY = cluster(
            List.of(host("pm1", 0.88), host("pm2", 0.22), host("pm3", 0.50)), List.of(), List.of());

    private static int ids;

    private static HistoryRecord record(String destination, Map<String, Double> loads) {
        ids++;
        return new HistoryRecord(ids, Instant.ofEpochSecond(1_700_000_000L + ids), loads, "vm" + ids, "pm1", destination);
    }

    // Newest first, as the bridge hands them over.
    private static final List<HistoryRecord> HISTORY = List.of(
            record("pm2", Map.of("pm1", 0.50, "pm2", 0.50, "pm3", 0.50)),   // not similar: pm1 is 0.38 off
            record("pm3", Map.of("pm1", 0.90, "pm2", 0.20, "pm3", 0.48)),   // similar within 0.05 (0.02 off at most)
            record("pm2", Map.of("pm1", 0.89, "pm2", 0.21, "pm3", 0.50)));  // similar too, but older

    private static PolicySet withHistory(Map<String, String> params) {
        return policies(List.of(new HistoryMatchWeigher(), new BalanceWeigher()),
                params.isEmpty() ? Map.of() : Map.of(NAME, params));
    }

    private static PlacementResult place(List<HistoryRecord> history, PolicySet policies) {
        return select(TODAY, spec(MIXED), h -> true, 1, history, policies);
    }

    @Test
    void theLatestSimilarRecordsDestinationWins() {
        PlacementResult r = place(HISTORY, withHistory(Map.of()));

        assertThat(r.selected()).containsExactly("pm3");
        assertThat(raw(r, NAME)).containsEntry("pm3", 1.0).containsEntry("pm2", 0.0).containsEntry("pm1", 0.0);
    }

    @Test
    void theToleranceDecidesWhatIsSimilar() {
        // 0.015: the pm3 record (0.02 off) no longer matches; the older pm2 one (0.01 off) does.
        PlacementResult r = place(HISTORY, withHistory(Map.of("tolerance", "0.015")));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(raw(r, NAME)).containsEntry("pm2", 1.0).containsEntry("pm3", 0.0);

        // 0.005: nothing matches; every host scores 0 and BalanceWeigher decides alone.
        PlacementResult none = place(HISTORY, withHistory(Map.of("tolerance", "0.005")));
        assertThat(raw(none, NAME).values()).containsOnly(0.0);
        assertThat(none.selected()).containsExactly("pm2");
    }

    @Test
    void aRecordNamingAHostThatIsGoneDoesNotMatch() {
        HistoryRecord gone = record("pm1", Map.of("pm1", 0.88, "pm2", 0.22, "pm9", 0.50));
        PlacementResult r = place(List.of(gone, HISTORY.get(1)), withHistory(Map.of()));
        assertThat(r.selected()).containsExactly("pm3");
        assertThat(raw(r, NAME)).containsEntry("pm1", 0.0);
    }

    @Test
    void withoutHistoryTheWeigherIsNeutral() {
        PlacementResult r = place(List.of(), withHistory(Map.of()));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(raw(r, NAME).values()).containsOnly(0.0);
    }
}
