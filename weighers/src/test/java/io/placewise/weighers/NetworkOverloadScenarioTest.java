package io.placewise.weighers;

import static io.placewise.weighers.Fixtures.GIGABIT;
import static io.placewise.weighers.Fixtures.move;
import static io.placewise.weighers.Fixtures.raw;
import static io.placewise.weighers.Fixtures.select;
import static io.placewise.model.WorkloadClass.NET_RX;
import static io.placewise.model.WorkloadClass.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.scheduler.PlacementResult;
import io.placewise.scheduler.PolicySet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 §4.2.3 (network overload, Table 4.5) as a placement question: where should VM3 go?
 *
 * <p>Table 4.5: three two-VM netperf groups, every VM 256 MB; clients VM1–VM3 on PM1, servers VM4
 * and VM5 on PM2, VM6 on PM3; PM4 idle. Group g is VM g ↔ VM g+3. The paper gives no numbers for
 * the load, so we choose: gigabit NICs; VM1–VM4 and VM2–VM5 push 250 Mbit/s, VM3–VM6 400 Mbit/s
 * (VM3 has the most traffic, which is why both policies pick it as the victim). PM1's NIC then
 * carries 900 Mbit/s = 90 % > 80 %: the network overload. PM2 carries 500 (50 %), PM3 400 (40 %),
 * PM4 nothing. netperf costs little CPU: PM1 45 % (three clients), PM2 30 %, PM3 20 % (one server),
 * PM4 2 % (idle). So PM4 is the least-loaded host, the one Sandpiper (and our BalanceWeigher)
 * picks; PM3 is where VM3's traffic would become IDC, the one the IDC policy picks.
 */
class NetworkOverloadScenarioTest {
    private static final ClusterSnapshot TABLE_4_5 = new ClusterSnapshot(
            List.of(pm("PM1", 0.45, 0.90), pm("PM2", 0.30, 0.50), pm("PM3", 0.20, 0.40), pm("PM4", 0.02, 0.0)),
            List.of(netperf("VM1", "PM1", WEB, "1"), netperf("VM2", "PM1", WEB, "2"), netperf("VM3", "PM1", WEB, "3"),
                    netperf("VM4", "PM2", NET_RX, "1"), netperf("VM5", "PM2", NET_RX, "2"), netperf("VM6", "PM3", NET_RX, "3")),
            List.of(new Traffic("VM1", "VM4", 250), new Traffic("VM2", "VM5", 250), new Traffic("VM3", "VM6", 400)),
            Map.of());

    private static Host pm(String name, double cpu, double nic) {
        return new Host(name, GIGABIT, cpu, 0.2, 0, nic, true);
    }

    private static Vm netperf(String id, String host, WorkloadClass workload, String group) {
        return new Vm(id, host, 1, 256, 10, 0.1, 0.5, 0, 1, workload, Set.of(), "group" + group);
    }

    /** The balancer's question: VM3 leaves PM1; every other host is a candidate. */
    private static PlacementResult whereDoesVm3Go(PolicySet policies) {
        return select(TABLE_4_5, move("VM3", "PM1"), h -> !h.name().equals("PM1"), 1, List.of(), policies);
    }

    private static PolicySet policies(boolean idcEnabled) {
        return Fixtures.policies(List.of(new IdcNetworkBenefitWeigher(), new BalanceWeigher()), Map.of(
                "IdcNetworkBenefitWeigher", Map.of("enabled", Boolean.toString(idcEnabled), "multiplier", "1.0"),
                "BalanceWeigher", Map.of("multiplier", "1.0")));
    }

    @Test
    void withTheIdcWeigherVm3RejoinsVm6OnPm3() {
        PlacementResult r = whereDoesVm3Go(policies(true));

        assertThat(r.selected()).containsExactly("PM3");
        // Is = 0 (VM3 talks to no one on PM1), so Nds = 0 and the benefit is 400 for every host;
        // PM3 adds the 400 Mbit/s that become IDC there.
        assertThat(raw(r, "IdcNetworkBenefitWeigher")).containsEntry("PM2", 400.0).containsEntry("PM3", 800.0)
                .containsEntry("PM4", 400.0);
        assertThat(r.alternates(1)).containsExactly("PM4");
    }

    @Test
    void withoutItTheLeastLoadedPm4Wins() {
        PlacementResult r = whereDoesVm3Go(policies(false));

        assertThat(r.selected()).containsExactly("PM4");
        assertThat(r.weigherNames()).containsExactly("BalanceWeigher");
    }
}
