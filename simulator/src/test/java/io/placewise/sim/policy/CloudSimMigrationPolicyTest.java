package io.placewise.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.sim.engine.PolicyResult;
import io.placewise.sim.engine.Simulation;
import io.placewise.sim.power.PowerModel;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.setup.VmType;
import io.placewise.sim.trace.Trace;
import io.placewise.sim.trace.VmTrace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CloudSim baselines' rules on scenarios small enough to follow: MMT, PABFD, all-or-nothing evacuation, LR. */
class CloudSimMigrationPolicyTest {
    private static Setup setup(int g4, int g5) {
        return new Setup("t", List.of(new HostType("G4", g4, 2, 1860, 4096, 1000, 1000, PowerModel.HP_ML110_G4),
                new HostType("G5", g5, 2, 2660, 4096, 1000, 1000, PowerModel.HP_ML110_G5)), false,
                List.of(new VmType("a", 2000, 1, 613, 3, 0)), 300, 0, 500, false, false, 10, 0, 3, List.of());
    }

    private static VmTrace vm(String id, double... cpu) {
        return new VmTrace(id, "t", 0, 0, 0, cpu, null, null, null, null, 0, cpu.length);
    }

    private static double[] flat(double v, int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void underUtilisedHostsAreEmptiedOntoTheHostsThatRiseLeastInPower() {
        // Four 2000-MIPS VMs on four G5 hosts. At creation every CloudSim host reports 0 % (no update yet), so PABFD's
        // least power increase is the emptiest host: one VM each. At 30 % (600 MIPS, 11 %) THR evacuates the least
        // utilised host first (h0, to h1: the smallest rise from the host's current power), then h2 — not to h1, which
        // rose, but to h3. Next interval h1 is emptied onto h3, its own VM first (equal CPU keeps host order): four
        // migrations, one host left.
        Trace t = new Trace(List.of("t"), 300, List.of(vm("v1", flat(0.3, 6)), vm("v2", flat(0.3, 6)), vm("v3", flat(0.3, 6)),
                vm("v4", flat(0.3, 6))), List.of(), 0);
        PolicyResult r = new Simulation(setup(0, 4), t, 30, 0.85).run(CloudSimMigrationPolicy.thrMmt(0.8));
        assertThat(r.log()).extracting(m -> m.interval() + ":" + m.vm() + ":" + m.source() + "->" + m.destination())
                .containsExactly("1:v1:h0->h1", "1:v3:h2->h3", "2:v2:h1->h3", "2:v1:h1->h3");
        assertThat(r.series().get(r.series().size() - 1).activeHosts()).isEqualTo(1);
    }

    @Test
    void anOverloadedHostSendsItsSmallestVmAway() {
        // Three 1500-MIPS VMs (1740, 613, 1740 MB) on two G5 hosts: created spread (b1 and b2 on h0, small on h1). At
        // 10 % h1 is the least utilised and is emptied onto h0. At 100 % h0 (4500/5320 = 85 %) is overloaded: MMT sends
        // the VM with the least RAM, "small", to the idle h1, after which h0 is at 56 %.
        Setup s = new Setup("t", List.of(new HostType("G5", 2, 2, 2660, 4096, 1000, 1000, PowerModel.HP_ML110_G5)), false,
                List.of(new VmType("big", 1500, 1, 1740, 3, 0), new VmType("small", 1500, 1, 613, 3, 0),
                        new VmType("big2", 1500, 1, 1740, 3, 0)), 300, 0, 500, false, false, 10, 0, 3, List.of());
        double[] rising = {0.1, 0.1, 1, 1, 1};
        Trace t = new Trace(List.of("t"), 300, List.of(vm("b1", rising), vm("small", rising.clone()), vm("b2", rising.clone())),
                List.of(), 0);
        PolicyResult r = new Simulation(s, t, 30, 0.85).run(CloudSimMigrationPolicy.thrMmt(0.8));
        assertThat(r.log()).extracting(m -> m.interval() + ":" + m.vm() + ":" + m.source() + "->" + m.destination())
                .containsExactly("1:small:h1->h0", "2:small:h0->h1");
    }

    @Test
    void localRegressionPredictsARisingHostOverloadedBeforeItIs() {
        // A host history rising 5 % an interval reaches 60 % at sample 10: OLS predicts 65 % for the next interval,
        // ×1.2 = 78 % < 1: not overloaded. Rising 8 %: 88 % predicted, ×1.2 = 1.06 ≥ 1: overloaded although at 80 %.
        double[] five = new double[13];
        double[] eight = new double[13];
        for (int i = 0; i < 13; i++) {
            five[i] = Math.min(1, 0.05 * (i + 1));
            eight[i] = Math.min(1, 0.08 * i);
        }
        double[] slope5 = CloudSimMigrationPolicy.leastSquares(java.util.Arrays.copyOfRange(five, 1, 11));
        assertThat(slope5[1]).isCloseTo(0.05, within(1e-12));
        assertThat((slope5[0] + slope5[1] * 11) * 1.2).isLessThan(1);
        double[] slope8 = CloudSimMigrationPolicy.leastSquares(java.util.Arrays.copyOfRange(eight, 1, 11));
        assertThat((slope8[0] + slope8[1] * 11) * 1.2).isGreaterThanOrEqualTo(1);
    }
}
