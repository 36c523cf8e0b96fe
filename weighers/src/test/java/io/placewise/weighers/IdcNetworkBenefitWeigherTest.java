package io.placewise.weighers;

import static io.placewise.weighers.Fixtures.cluster;
import static io.placewise.weighers.Fixtures.host;
import static io.placewise.weighers.Fixtures.move;
import static io.placewise.weighers.Fixtures.newVm;
import static io.placewise.weighers.Fixtures.policies;
import static io.placewise.weighers.Fixtures.raw;
import static io.placewise.weighers.Fixtures.select;
import static io.placewise.weighers.Fixtures.vm;
import static io.placewise.model.WorkloadClass.MIXED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.PeerTraffic;
import io.placewise.model.PlacementSpec;
import io.placewise.model.Traffic;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seed 004 §3.3 through the real pipeline. */
class IdcNetworkBenefitWeigherTest {
    private static final String NAME = "IdcNetworkBenefitWeigher";

    private static PolicySet idc(Map<String, String> params) {
        return policies(List.of(new IdcNetworkBenefitWeigher()), params.isEmpty() ? Map.of() : Map.of(NAME, params));
    }

    @Test
    void aNewVmGoesWhereItsPeersAre() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2), host("pm3", 0.3)),
                List.of(vm("a", "pm2", MIXED), vm("b", "pm3", MIXED), vm("d", "pm3", MIXED)), List.of());
        PlacementSpec spec = newVm(List.of(new PeerTraffic("a", 100), new PeerTraffic("b", 300),
                new PeerTraffic("d", 50), new PeerTraffic("outside", 500)));
        PlacementResult r = select(c, spec, idc(Map.of()));

        assertThat(r.selected()).containsExactly("pm3");
        assertThat(raw(r, NAME)).containsEntry("pm1", 0.0).containsEntry("pm2", 100.0).containsEntry("pm3", 350.0);
    }

    @Test
    void anExistingVmUsesTheMeasuredTrafficUnlessTheRequestSaysOtherwise() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.1), host("pm2", 0.2), host("pm3", 0.3)),
                List.of(vm("x", "pm1", MIXED), vm("a", "pm2", MIXED), vm("b", "pm3", MIXED)),
                List.of(new Traffic("x", "a", 100), new Traffic("b", "x", 60), new Traffic("x", "b", 60)));
        // x's measured traffic: 100 with a (pm2), 120 with b (both directions count).
        PlacementSpec measured = new PlacementSpec("x", Fixtures.SMALL, MIXED, Set.of(), null, List.of(), null, Map.of());
        PlacementResult r = select(c, measured, idc(Map.of()));
        assertThat(r.selected()).containsExactly("pm3");
        assertThat(raw(r, NAME)).containsEntry("pm2", 100.0).containsEntry("pm3", 120.0);

        PlacementSpec declared = new PlacementSpec("x", Fixtures.SMALL, MIXED, Set.of(), null,
                List.of(new PeerTraffic("a", 400)), null, Map.of());
        PlacementResult r2 = select(c, declared, idc(Map.of()));
        assertThat(r2.selected()).containsExactly("pm2");
        assertThat(raw(r2, NAME)).containsEntry("pm2", 400.0).containsEntry("pm3", 120.0);
    }

    /**
     * VM v on pm1 talks to u on pm1 (Is = 200), to w on pm2 (100) and to an outside address (50).
     * Moving v to pm3: Nso = 150, Nsd = 0, Nds = min(Is, AB, NB). To pm2: Nso = 50, Nsd = 100.
     */
    @Test
    void aMoveScoresTheNetworkBenefitPlusTheIdcItGains() {
        List<Traffic> traffic = List.of(new Traffic("v", "u", 200), new Traffic("v", "w", 100));
        PlacementSpec spec = new PlacementSpec("v", Fixtures.SMALL, MIXED, Set.of(), null,
                List.of(new PeerTraffic("internet", 50)), "pm1", Map.of());

        // NB bounds Nds: min(200, AB = 1000 × 0.5 + 150, 120) = 120.
        ClusterSnapshot roomy = cluster(List.of(host("pm1", 0.5, 0.5), host("pm2", 0.4), host("pm3", 0.3)),
                List.of(vm("v", "pm1", MIXED), vm("u", "pm1", MIXED), vm("w", "pm2", MIXED)), traffic);
        PlacementResult r = select(roomy, spec, h -> !h.name().equals("pm1"), 1, List.of(),
                idc(Map.of("network_bound_mbps", "120")));
        assertThat(r.selected()).containsExactly("pm2");
        assertThat(raw(r, NAME).get("pm3")).isCloseTo(150 + 0 - 120, within(1e-9));
        assertThat(raw(r, NAME).get("pm2")).isCloseTo(50 + 100 - 120 + 100, within(1e-9));

        // AB bounds Nds: the source NIC is 99 % busy, so AB = 1000 × 0.01 + 150 = 160 < Is = 200 < NB.
        ClusterSnapshot busy = cluster(List.of(host("pm1", 0.5, 0.99), host("pm2", 0.4), host("pm3", 0.3)),
                roomy.vms(), traffic);
        PlacementResult busyResult = select(busy, spec, h -> !h.name().equals("pm1"), 1, List.of(), idc(Map.of()));
        assertThat(raw(busyResult, NAME).get("pm3")).isCloseTo(150 - 160, within(1e-9));

        // Is bounds Nds when the NIC and NB are generous: min(200, 650, 1000) = 200.
        PlacementResult generous = select(roomy, spec, h -> !h.name().equals("pm1"), 1, List.of(), idc(Map.of()));
        assertThat(raw(generous, NAME).get("pm3")).isCloseTo(150 - 200, within(1e-9));
    }

    @Test
    void theSourceHostScoresTheIdcTheVmKeeps() {
        ClusterSnapshot c = cluster(List.of(host("pm1", 0.5), host("pm2", 0.4)),
                List.of(vm("v", "pm1", MIXED), vm("u", "pm1", MIXED), vm("w", "pm2", MIXED)),
                List.of(new Traffic("v", "u", 300), new Traffic("v", "w", 10)));
        PlacementResult r = select(c, move("v", "pm1"), idc(Map.of()));
        assertThat(r.selected()).containsExactly("pm1");
        assertThat(raw(r, NAME)).containsEntry("pm1", 300.0);
    }

    @Test
    void theEquationsOfSection33() {
        assertThat(IdcNetworkBenefitWeigher.networkBenefit(150, 100, 120)).isEqualTo(130);
        assertThat(IdcNetworkBenefitWeigher.nds(200, 160, 1000)).isEqualTo(160);
        assertThat(IdcNetworkBenefitWeigher.nds(200, 650, 120)).isEqualTo(120);
        assertThat(IdcNetworkBenefitWeigher.nds(80, 650, 1000)).isEqualTo(80);
    }
}
