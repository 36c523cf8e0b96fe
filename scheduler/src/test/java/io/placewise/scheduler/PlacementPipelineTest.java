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
import io.placewise.model.PlacementSpec;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPipelineTest {
    private final PlacementPipeline pipeline = new PlacementPipeline();
    private final ClusterSnapshot three = cluster(host("a", 0.9), host("b", 0.5), host("c", 0.1));

    @Test
    void normalisesEachWeigherToUnitRangeAndAppliesMultipliers() {
        // Raw scores 10, 20, 40 normalise to 0, 1/3, 1; x2 multiplier doubles them.
        Map<String, Double> raw = Map.of("a", 10.0, "b", 20.0, "c", 40.0);
        PolicySet set = policies(List.of(), List.of(new Fixtures.Score("W", h -> raw.get(h.name()))),
                Map.of("W", Map.of("multiplier", "2.0")));

        PlacementResult r = pipeline.select(request(three), set);

        assertThat(r.weighed()).extracting(WeighedHost::host).containsExactly("c", "b", "a");
        assertThat(r.weighed().get(0).weight()).isCloseTo(2.0, within(1e-9));
        assertThat(r.weighed().get(1).weight()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.weighed().get(2).weight()).isCloseTo(0.0, within(1e-9));
        assertThat(r.weighed().get(1).rawBy(r.weigherNames())).containsEntry("W", 20.0);
        assertThat(r.selected()).containsExactly("c");
    }

    @Test
    void allEqualScoresNormaliseToZeroSoTheWeigherDoesNotDecide() {
        PolicySet set = policies(List.of(), List.of(
                new Fixtures.Score("Flat", h -> 7.0),
                new Fixtures.Score("Cpu", h -> 1 - h.cpuUtil())), Map.of("Flat", Map.of("multiplier", "100")));

        PlacementResult r = pipeline.select(request(three), set);

        assertThat(r.weighed()).allSatisfy(w -> assertThat(w.by(r.weigherNames()).get("Flat")).isZero());
        assertThat(r.selected()).containsExactly("c");
    }

    @Test
    void negativeMultiplierTurnsAPreferenceIntoAnAversion() {
        PolicySet set = policies(List.of(), List.of(new Fixtures.Score("Cpu", h -> 1 - h.cpuUtil())),
                Map.of("Cpu", Map.of("multiplier", "-1.5")));

        PlacementResult r = pipeline.select(request(three), set);

        assertThat(r.selected()).containsExactly("a");
        assertThat(r.weighed()).extracting(WeighedHost::host).containsExactly("a", "b", "c");
        assertThat(r.weighed().get(2).weight()).isCloseTo(-1.5, within(1e-9));
    }

    @Test
    void weighersSumTheirNormalisedContributions() {
        // W1 prefers a (1, 0.5, 0), W2 prefers c strongly (0, 0, 1) x3: c wins with 3 over a's 1.
        PolicySet set = policies(List.of(), List.of(
                new Fixtures.Score("W1", h -> Map.of("a", 2.0, "b", 1.0, "c", 0.0).get(h.name())),
                new Fixtures.Score("W2", h -> h.name().equals("c") ? 5 : 1)), Map.of("W2", Map.of("multiplier", "3")));

        PlacementResult r = pipeline.select(request(three), set);

        assertThat(r.weighed()).extracting(WeighedHost::host).containsExactly("c", "a", "b");
        assertThat(r.weighed().get(1).weight()).isCloseTo(1.0, within(1e-9));
        assertThat(r.weighed().get(2).weight()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void filtersRunInConfiguredOrderEachSeeingOnlySurvivors() {
        HostFilter first = new Fixtures.Reject("First", Set.of("a", "b"));
        HostFilter second = new Fixtures.Reject("Second", Set.of("a", "b", "c"));
        PolicySet set = PolicySet.configure(new PolicyCatalog(List.of(second, first), List.of()), Map.of(),
                List.of("First", "Second"), Map.of());

        PlacementResult r = pipeline.select(request(three), set);

        assertThat(r.selected()).isEmpty();
        // a and b were rejected by First and never reached Second.
        assertThat(r.rejected()).containsExactly(
                new Rejection("a", "First", "First does not like a"),
                new Rejection("b", "First", "First does not like b"),
                new Rejection("c", "Second", "Second does not like c"));
    }

    @Test
    void disabledPoliciesDoNotRun() {
        HostFilter f = new Fixtures.Reject("NoC", Set.of("c"));
        HostWeigher w = new Fixtures.Score("PreferA", h -> h.name().equals("a") ? 1 : 0);
        PolicySet enabled = policies(List.of(f), List.of(w), Map.of());
        PolicySet disabled = policies(List.of(f), List.of(w),
                Map.of("NoC", Map.of("enabled", "false"), "PreferA", Map.of("enabled", "false")));

        assertThat(pipeline.select(request(three), enabled).selected()).containsExactly("a");
        PlacementResult r = pipeline.select(request(three), disabled);
        assertThat(r.rejected()).isEmpty();
        assertThat(r.weigherNames()).isEmpty();
        // No weigher: all weights 0, the first candidate wins (stable order).
        assertThat(r.selected()).containsExactly("a");
        assertThat(r.passed()).containsExactly("a", "b", "c");
    }

    @Test
    void aRuntimeOverrideReplacesTheFileSettingAndIsValidated() {
        HostWeigher w = new Fixtures.Score("W", h -> 1 - h.cpuUtil());
        PolicySet set = policies(List.of(), List.of(w), Map.of("W", Map.of("multiplier", "1.0")));

        PolicySet flipped = set.withOverride("W", new PolicyOverride(null, -1.0, Map.of()));
        assertThat(flipped.settings("W").orElseThrow().multiplier()).isEqualTo(-1.0);
        assertThat(pipeline.select(request(three), flipped).selected()).containsExactly("a");

        assertThatThrownBy(() -> set.withOverride("W", new PolicyOverride(null, null, Map.of("nope", "1"))))
                .isInstanceOf(PolicyConfigException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> set.withOverride("W", new PolicyOverride(null, Double.NaN, Map.of())))
                .isInstanceOf(PolicyConfigException.class);
    }

    @Test
    void filterOrderNamingAnUnknownFilterIsAConfigurationError() {
        assertThatThrownBy(() -> PolicySet.configure(new PolicyCatalog(List.of(), List.of()), Map.of(),
                List.of("TypoFilter"), Map.of()))
                .isInstanceOf(PolicyConfigException.class).hasMessageContaining("TypoFilter");
    }

    @Test
    void multiInstanceRequestsClaimResourcesAsTheyGo() {
        // A filter that passes hosts with fewer than 1 VM: each instance must land on a fresh host.
        HostFilter oneVmPerHost = new HostFilter() {
            @Override
            public String name() {
                return "OneVm";
            }

            @Override
            public String description() {
                return "at most one VM per host";
            }

            @Override
            public HostCheck prepare(io.placewise.plugin.PlacementContext ctx, io.placewise.plugin.PolicyParams p) {
                return h -> ctx.usage(h.name()).vmCount() == 0 ? io.placewise.plugin.Verdict.pass()
                        : io.placewise.plugin.Verdict.reject("already has a VM");
            }
        };
        PolicySet set = policies(List.of(oneVmPerHost), List.of(new Fixtures.Score("Cpu", h -> 1 - h.cpuUtil())), Map.of());
        PlacementSpec spec = PlacementSpec.of(new Flavor(1, 1024, 10, Map.of()));

        PlacementResult two = pipeline.select(new PlacementRequest(three, spec, three.hosts(), 2, List.of()), set);
        assertThat(two.selected()).containsExactly("c", "b");

        PlacementResult four = pipeline.select(new PlacementRequest(three, spec, three.hosts(), 4, List.of()), set);
        assertThat(four.selected()).as("Nova refuses a partial multi-create").isEmpty();
        assertThat(four.rejected()).extracting(Rejection::reason).containsOnly("already has a VM");
    }

    @Test
    void topKIsThePrefixOfTheFullStableOrderEvenWithTies() {
        // Scores from a small set so that many hosts tie; the partial selection must agree with
        // the full stable sort for every k, or select's answer would differ from weigh's.
        java.util.Random rnd = new java.util.Random(7);
        io.placewise.model.Host[] hosts = new io.placewise.model.Host[300];
        Map<String, Double> score = new java.util.HashMap<>();
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = host("h" + i, 0.5);
            score.put("h" + i, (double) rnd.nextInt(6));
        }
        PolicySet set = policies(List.of(), List.of(new Fixtures.Score("S", h -> score.get(h.name()))), Map.of());
        for (int k : new int[]{1, 2, 5, 20, 37, 299, 300, 400}) {
            PlacementResult fresh = pipeline.select(request(cluster(hosts)), set);
            List<String> top = fresh.top(k).stream().map(WeighedHost::host).toList();
            List<String> all = fresh.weighed().stream().map(WeighedHost::host).toList();
            assertThat(top).as("k=%d", k).isEqualTo(all.subList(0, Math.min(k, all.size())));
        }
        PlacementResult r = pipeline.select(request(cluster(hosts)), set);
        assertThat(r.selected().get(0)).isEqualTo(r.weighed().get(0).host());
        assertThat(r.alternates(3)).isEqualTo(r.weighed().subList(1, 4).stream().map(WeighedHost::host).toList());
    }

    @Test
    void aPolicyThatFailsIsNamed() {
        PolicySet set = policies(List.of(), List.of(new Fixtures.Score("Broken", h -> Double.NaN)), Map.of());
        assertThatThrownBy(() -> pipeline.select(request(three), set))
                .isInstanceOf(PolicyFailureException.class).hasMessageContaining("Broken");
    }
}
