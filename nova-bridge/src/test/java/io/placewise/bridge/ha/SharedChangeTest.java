package io.placewise.bridge.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What a bridge announces and how the others read it: names when they fit, "all of that kind" when not. */
class SharedChangeTest {
    @Test
    void aSmallChangeIsOneNotificationReadBackAsItWasAndTheSenderIsKnown() {
        SharedChange c = SharedChange.hosts(List.of("pm1", "pm2"), true).and(SharedChange.policy("BalanceWeigher"))
                .and(SharedChange.historyChanged()).and(SharedChange.plan("a-1"));
        List<String> payloads = c.payloads("me");
        assertThat(payloads).hasSize(1);
        SharedChange.Received r = SharedChange.decode(payloads.get(0));
        assertThat(r.from()).isEqualTo("me");
        assertThat(r.change()).isEqualTo(c);
    }

    @Test
    void manyHostsAreSpreadOverNotificationsUnder8000BytesAndTooManyBecomeAllHosts() {
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            names.add("compute-" + i + ".example.org");
        }
        List<String> payloads = SharedChange.hosts(names, false).payloads("me");
        assertThat(payloads.size()).isBetween(2, SharedChange.MAX_NOTIFICATIONS);
        assertThat(payloads).allMatch(p -> p.getBytes(StandardCharsets.UTF_8).length < 8000);
        SharedChange back = payloads.stream().map(p -> SharedChange.decode(p).change()).reduce(SharedChange.NONE, SharedChange::and);
        assertThat(back.hosts()).isEqualTo(names);

        for (int i = 2000; i < 20_000; i++) {
            names.add("compute-" + i + ".example.org");
        }
        List<String> all = SharedChange.hosts(names, true).and(SharedChange.policy("X")).payloads("me");
        assertThat(all).hasSize(1);
        SharedChange reload = SharedChange.decode(all.get(0)).change();
        assertThat(reload.hosts()).as("reload every host").isNull();
        assertThat(reload.groups()).isTrue();
        assertThat(reload.policies()).containsExactly("X");
    }

    @Test
    void anUnreadablePayloadMeansEverythingMayHaveChanged() {
        assertThat(SharedChange.decode("not json").change()).isEqualTo(SharedChange.EVERYTHING);
        assertThat(SharedChange.NONE.isEmpty()).isTrue();
        assertThat(SharedChange.EVERYTHING.isEmpty()).isFalse();
    }
}
