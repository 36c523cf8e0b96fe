package io.placewise.scheduler;

import static io.placewise.scheduler.Fixtures.cluster;
import static io.placewise.scheduler.Fixtures.host;
import static io.placewise.scheduler.Fixtures.policies;
import static io.placewise.scheduler.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Flavor;
import io.placewise.model.Host;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.StateKey;
import io.placewise.plugin.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * What a plugin may declare and the handler honours (issue 14 item 7): a weigher's fixed
 * minval/maxval and a once-per-request filter (both Nova's), and per-request state shared by the
 * plugins of a request (Kubernetes' CycleState, typed keys).
 */
class PluginDeclarationsTest {
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final ClusterSnapshot three = cluster(host("a", 0.9), host("b", 0.5), host("c", 0.1));

    /** A test weigher scoring with {@code f}, with declared bounds (either may be absent). */
    record Bounded(Fixtures.Score scores, OptionalDouble minval, OptionalDouble maxval) implements HostWeigher {
        Bounded(String name, ToDoubleFunction<Host> f, OptionalDouble minval, OptionalDouble maxval) {
            this(new Fixtures.Score(name, f), minval, maxval);
        }

        @Override
        public String name() {
            return scores.name();
        }

        @Override
        public OptionalDouble minval(PolicyParams params) {
            return minval;
        }

        @Override
        public OptionalDouble maxval(PolicyParams params) {
            return maxval;
        }

        @Override
        public String description() {
            return "bounded " + scores.description();
        }

        @Override
        public HostScorer prepare(PlacementContext context, PolicyParams params) {
            return scores.prepare(context, params);
        }
    }

    private static Map<String, Double> contributions(PlacementResult r, String weigher) {
        Map<String, Double> out = new java.util.HashMap<>();
        r.weighed().forEach(w -> out.put(w.host(), w.by(r.weigherNames()).get(weigher)));
        return out;
    }

    @Test
    void declaredBoundsKeepASmallSpreadSmallSoItDoesNotOutvoteARealPreference() {
        // Load 50 %, 51 %, 49 %: a 2 % spread. Another weigher (multiplier 0.5) clearly prefers b.
        Map<String, Double> free = Map.of("a", 0.50, "b", 0.49, "c", 0.51);
        ToDoubleFunction<Host> score = h -> free.get(h.name());
        HostWeigher prefersB = new Fixtures.Score("PrefersB", h -> h.name().equals("b") ? 1 : 0);
        Map<String, Map<String, String>> half = Map.of("PrefersB", Map.of("multiplier", "0.5"));

        PlacementResult stretched = pipeline.select(request(three), policies(List.of(),
                List.of(new Bounded("Load", score, OptionalDouble.empty(), OptionalDouble.empty()), prefersB), half));
        PlacementResult bounded = pipeline.select(request(three), policies(List.of(),
                List.of(new Bounded("Load", score, OptionalDouble.of(0), OptionalDouble.of(1)), prefersB), half));

        // Observed bounds stretch 0.49..0.51 to 0..1, and the 2 % lead outweighs PrefersB's 0.5.
        assertThat(stretched.selected()).containsExactly("c");
        assertThat(contributions(stretched, "Load").get("c")).isCloseTo(1.0, within(1e-9));
        // Declared [0, 1]: contributions are the scores themselves, 0.02 apart; PrefersB decides.
        assertThat(bounded.selected()).containsExactly("b");
        assertThat(contributions(bounded, "Load")).containsOnlyKeys("a", "b", "c");
        assertThat(contributions(bounded, "Load").get("a")).isCloseTo(0.50, within(1e-9));
        assertThat(contributions(bounded, "Load").get("b")).isCloseTo(0.49, within(1e-9));
        assertThat(contributions(bounded, "Load").get("c")).isCloseTo(0.51, within(1e-9));
        assertThat(bounded.weighed().get(0).weight()).isCloseTo(0.99, within(1e-9));
    }

    @Test
    void aScoreBeyondADeclaredBoundCountsAsTheBoundAndTheRawScoreIsStillReported() {
        Map<String, Double> raw = Map.of("a", -3.0, "b", 0.25, "c", 7.0);
        PlacementResult r = pipeline.select(request(three), policies(List.of(),
                List.of(new Bounded("W", h -> raw.get(h.name()), OptionalDouble.of(0), OptionalDouble.of(1))), Map.of()));

        assertThat(contributions(r, "W")).containsEntry("a", 0.0).containsEntry("b", 0.25).containsEntry("c", 1.0);
        assertThat(r.weighed().get(2).rawBy(r.weigherNames())).containsEntry("W", -3.0);
    }

    @Test
    void aMinvalAloneNormalisesFromItToTheHighestScoreAsNovasCpuWeigher() {
        // Free vCPUs 2, 4, 8 with minval 0: 0.25, 0.5, 1 (observed bounds would give 0, 1/3, 1).
        Map<String, Double> raw = Map.of("a", 2.0, "b", 4.0, "c", 8.0);
        PlacementResult r = pipeline.select(request(three), policies(List.of(),
                List.of(new Bounded("Free", h -> raw.get(h.name()), OptionalDouble.of(0), OptionalDouble.empty())), Map.of()));

        assertThat(contributions(r, "Free").get("a")).isCloseTo(0.25, within(1e-9));
        assertThat(contributions(r, "Free").get("b")).isCloseTo(0.5, within(1e-9));
        assertThat(contributions(r, "Free").get("c")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void boundsThatLeaveNoRangeAreTheWeighersFaultNamedAsSuch() {
        PolicySet set = policies(List.of(),
                List.of(new Bounded("Broken", h -> 1, OptionalDouble.of(2), OptionalDouble.of(1))), Map.of());
        assertThatThrownBy(() -> pipeline.select(request(three), set))
                .isInstanceOf(PolicyFailureException.class).hasMessageContaining("Broken").hasMessageContaining("minval");
    }

    /** Counts what the handler asks of it; rejects hosts this request already placed an instance on. */
    static final class NotTwiceOnAHost implements HostFilter {
        final boolean once;
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger tested = new AtomicInteger();

        NotTwiceOnAHost(boolean once) {
            this.once = once;
        }

        @Override
        public String description() {
            return "no two instances of the request on one host";
        }

        @Override
        public boolean runOncePerRequest() {
            return once;
        }

        @Override
        public HostCheck prepare(PlacementContext context, PolicyParams params) {
            prepared.incrementAndGet();
            return h -> {
                tested.incrementAndGet();
                return context.claimedOn(h.name()) > 0 ? Verdict.reject("this request already placed an instance here")
                        : Verdict.pass();
            };
        }
    }

    private PlacementResult threeInstances(HostFilter filter) {
        PlacementSpec spec = PlacementSpec.of(new Flavor(1, 1024, 10, Map.of()));
        PolicySet set = policies(List.of(filter), List.of(new Fixtures.Score("Cpu", h -> 1 - h.cpuUtil())), Map.of());
        return pipeline.select(new PlacementRequest(three, spec, three.hosts(), 3, List.of()), set);
    }

    @Test
    void aFilterRunByInstancePreparesAndTestsForEveryInstance() {
        NotTwiceOnAHost perInstance = new NotTwiceOnAHost(false);
        PlacementResult r = threeInstances(perInstance);

        assertThat(r.selected()).containsExactly("c", "b", "a");
        assertThat(perInstance.prepared).hasValue(3);
        assertThat(perInstance.tested).hasValue(9);
    }

    @Test
    void aOncePerRequestFilterIsPreparedOnceTestsEachHostOnceAndItsVerdictsHoldForLaterInstances() {
        NotTwiceOnAHost once = new NotTwiceOnAHost(true);
        PlacementResult r = threeInstances(once);

        // The first instance's verdicts (every host passes) are reused: the claims on c are not seen.
        assertThat(r.selected()).containsExactly("c", "c", "c");
        assertThat(once.prepared).hasValue(1);
        assertThat(once.tested).hasValue(3);
    }

    @Test
    void aOncePerRequestRejectionKeepsItsReasonForEveryInstance() {
        AtomicInteger tested = new AtomicInteger();
        HostFilter noC = new HostFilter() {
            @Override
            public String name() {
                return "NoC";
            }

            @Override
            public String description() {
                return "rejects c";
            }

            @Override
            public boolean runOncePerRequest() {
                return true;
            }

            @Override
            public HostCheck prepare(PlacementContext context, PolicyParams params) {
                return h -> {
                    tested.incrementAndGet();
                    return h.name().equals("c") ? Verdict.reject("c is draining") : Verdict.pass();
                };
            }
        };
        PlacementResult r = threeInstances(noC);

        assertThat(r.selected()).containsExactly("b", "b", "b");
        assertThat(r.rejected()).containsExactly(new Rejection("c", "NoC", "c is draining"));
        assertThat(tested).hasValue(3);
    }

    @Test
    void perRequestStateIsComputedOnceAndSharedByEveryPluginAndInstance() {
        AtomicInteger computed = new AtomicInteger();
        StateKey<Map<String, Integer>> rank = StateKey.of("rank", c -> {
            computed.incrementAndGet();
            return Map.of("a", 0, "b", 2, "c", 1);
        });
        List<Object> seen = new ArrayList<>();
        HostFilter filter = new HostFilter() {
            @Override
            public String name() {
                return "RankFilter";
            }

            @Override
            public String description() {
                return "rejects rank 0";
            }

            @Override
            public HostCheck prepare(PlacementContext context, PolicyParams params) {
                seen.add(context.state(rank));
                return h -> context.state(rank).get(h.name()) > 0 ? Verdict.pass() : Verdict.reject("rank 0");
            }
        };
        HostWeigher weigher = new HostWeigher() {
            @Override
            public String name() {
                return "RankWeigher";
            }

            @Override
            public String description() {
                return "prefers high rank";
            }

            @Override
            public HostScorer prepare(PlacementContext context, PolicyParams params) {
                seen.add(context.state(rank));
                return h -> context.state(rank).get(h.name());
            }
        };
        PolicySet set = policies(List.of(filter), List.of(weigher), Map.of());
        PlacementSpec spec = PlacementSpec.of(new Flavor(1, 1024, 10, Map.of()));

        PlacementResult r = pipeline.select(new PlacementRequest(three, spec, three.hosts(), 2, List.of()), set);

        assertThat(r.selected()).containsExactly("b", "b");
        assertThat(computed).hasValue(1);
        assertThat(seen).hasSize(4).allSatisfy(v -> assertThat(v).isSameAs(seen.get(0)));
        // A new request has its own state.
        pipeline.select(request(three), set);
        assertThat(computed).hasValue(2);
    }

    @Test
    void theTrafficViewIsOneValueForTheWholeRequest() {
        List<Object> views = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        HostWeigher traffic = new HostWeigher() {
            @Override
            public String description() {
                return "reads the traffic view";
            }

            @Override
            public HostScorer prepare(PlacementContext context, PolicyParams params) {
                views.add(context.peerTrafficByHost());
                totals.add(context.peerTrafficTotal());
                return h -> context.peerTrafficByHost().getOrDefault(h.name(), 0.0);
            }
        };
        ClusterSnapshot withPeers = new ClusterSnapshot(three.hosts(), List.of(Fixtures.vm("p1", "a"), Fixtures.vm("p2", "b")),
                List.of(), Map.of());
        PlacementSpec spec = new PlacementSpec(null, new Flavor(1, 1024, 10, Map.of()), null, java.util.Set.of(), null,
                List.of(new PeerTraffic("p1", 10), new PeerTraffic("p2", 5)), null, Map.of());
        PlacementResult r = pipeline.select(new PlacementRequest(withPeers, spec, withPeers.hosts(), 3, List.of()),
                policies(List.of(), List.of(traffic), Map.of()));

        assertThat(r.selected()).containsExactly("a", "a", "a");
        assertThat(views).hasSize(3).allSatisfy(v -> assertThat(v).isSameAs(views.get(0)));
        assertThat(views.get(0)).isEqualTo(Map.of("a", 10.0, "b", 5.0));
        assertThat(totals).containsOnly(15.0);
    }
}
