package io.placewise.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.sim.power.PowerModel;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.setup.VmType;
import io.placewise.sim.trace.Trace;
import io.placewise.sim.trace.VmTrace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics on a scenario small enough to compute by hand: three hosts of one 1000-MIPS core drawing
 * {@code 100 + 100·u} W, three 500-MIPS VMs of 750 MiB with flat loads, five samples 300 s apart (four intervals: the
 * first places the VMs and is not metered, as in CloudSim; three are). The migration link is 104.8576 Mbit/s, so
 * moving 750 MiB (6291.456 Mbit, nothing dirtied) takes exactly 60 s.
 *
 * <pre>
 * placement: v1, v2 (90 % of 500 MIPS = 450 each) on h0; v3 (40 % = 200) on h1; h2 empty.
 * decision 2: v2 h0 → h1.
 * interval 1→2: h0 900/1000 = 90 % → 190 W × 300 s = 57 000 J; h1 20 % → 120 W × 300 s = 36 000 J; h2 off.
 * interval 2→3: h0 [0, 60 s] still 90 % (v2 leaving counts whole): 190 × 60 = 11 400 J;
 *               h0 [60, 300] 45 %: 145 × 240 = 34 800 J;
 *               h1 [0, 60] 200 + 10 % × 450 = 245 → 124.5 × 60 = 7 470 J, and v2 is requested but not allocated: 60 s of
 *               SLA violation; h1 [60, 300] 650 → 165 × 240 = 39 600 J.
 * interval 3→4: h0 145 × 300 = 43 500 J; h1 165 × 300 = 49 500 J.
 * energy 279 270 J = 0.077575 kWh; active host time 1 800 s; SLATAH 60 / 1 800 = 3.333 %;
 * PDM 10 % × 450 MIPS × 60 s / (1 100 MIPS × 900 s) = 2 700 / 990 000 = 0.2727 %;
 * overloaded (above 85 %): h0 for interval 1→2 = 300 s = 0.0833 host-h;
 * C_m = (max − min)/2 over the powered hosts: (0.9 − 0.2)/2 = 0.35, then (0.65 − 0.45)/2 = 0.1 twice: mean 0.18333;
 * two hosts active throughout; one migration of 750 MiB, no downtime (nothing dirtied).
 * </pre>
 */
class HandComputedMetricsTest {
    static final PowerModel LINEAR = new PowerModel("linear", new double[] {100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200});

    static Setup setup() {
        return new Setup("hand", List.of(new HostType("pm", 3, 1, 1000, 4096, 100, 1000, LINEAR)), false,
                List.of(new VmType("v", 500, 1, 750, 10, 0)), 300, 0, 104.8576, false, true, 1000, 0, 10, List.of());
    }

    static Trace trace() {
        double[] busy = {0.9, 0.9, 0.9, 0.9, 0.9};
        double[] calm = {0.4, 0.4, 0.4, 0.4, 0.4};
        return new Trace(List.of("hand"), 300, List.of(
                new VmTrace("v1", "hand", 0, 0, 0, busy, null, null, null, null, 0, 5),
                new VmTrace("v2", "hand", 0, 0, 0, busy.clone(), null, null, null, null, 0, 5),
                new VmTrace("v3", "hand", 0, 0, 0, calm, null, null, null, null, 0, 5)), List.of(), 0);
    }

    /** Places v1, v2 on h0 and v3 on h1; moves v2 to h1 at interval 2. */
    static final class Scripted implements SimPolicy {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void place(Datacenter dc, List<SimVm> vms) {
            for (SimVm vm : vms) {
                dc.place(vm, dc.host(vm.id().equals("v3") ? "h1" : "h0"));
            }
        }

        @Override
        public Decision decide(Datacenter dc) {
            return dc.interval() == 2 ? Decision.of(List.of(new Decision.Move("v2", "h1"))) : Decision.NONE;
        }
    }

    @Test
    void everyMetricMatchesTheHandComputation() {
        PolicyResult r = new Simulation(setup(), trace(), 30, 0.85).run(new Scripted());
        assertThat(r.energyKwh()).isCloseTo(279_270 / 3.6e6, within(1e-9));
        assertThat(r.migrations()).isEqualTo(1);
        assertThat(r.slatah()).isCloseTo(60.0 / 1800, within(1e-12));
        assertThat(r.pdm()).isCloseTo(2700.0 / 990_000, within(1e-12));
        assertThat(r.slav()).isCloseTo(60.0 / 1800 * 2700.0 / 990_000, within(1e-15));
        assertThat(r.esv()).isCloseTo(279_270 / 3.6e6 * (60.0 / 1800) * (2700.0 / 990_000), within(1e-15));
        assertThat(r.overloadHostHours()).isCloseTo(300.0 / 3600, within(1e-12));
        assertThat(r.cmMean()).isCloseTo((0.35 + 0.1 + 0.1) / 3, within(1e-12));
        assertThat(r.activeHostsMean()).isEqualTo(2.0);
        assertThat(r.migrationDataGb()).isCloseTo(750.0 / 1024, within(1e-9));
        assertThat(r.downtimeSTotal()).isZero();
        assertThat(r.log()).singleElement().satisfies(m -> {
            assertThat(m.vm()).isEqualTo("v2");
            assertThat(m.source()).isEqualTo("h0");
            assertThat(m.destination()).isEqualTo("h1");
            assertThat(m.interval()).isEqualTo(2);
            assertThat(m.durationS()).isCloseTo(60, within(1e-9));
        });
        assertThat(r.series()).extracting(PolicyResult.IntervalStats::migrations).containsExactly(0, 1, 0, 0);
        assertThat(r.series()).extracting(PolicyResult.IntervalStats::overloadedHosts).containsExactly(1, 0, 0, 0);
    }

    @Test
    void aVmMovedTwiceInOneDecisionIsTwoMigrationsBothFromWhereItWas() {
        SimPolicy twice = new SimPolicy() {
            @Override
            public String name() {
                return "twice";
            }

            @Override
            public void place(Datacenter dc, List<SimVm> vms) {
                new Scripted().place(dc, vms);
            }

            @Override
            public Decision decide(Datacenter dc) {
                return dc.interval() == 2 ? Decision.of(List.of(new Decision.Move("v2", "h2"), new Decision.Move("v2", "h1")))
                        : Decision.NONE;
            }
        };
        PolicyResult r = new Simulation(setup(), trace(), 30, 0.85).run(twice);
        assertThat(r.migrations()).isEqualTo(2);
        assertThat(r.log()).extracting(Migration::source, Migration::destination).containsExactly(
                org.assertj.core.groups.Tuple.tuple("h0", "h2"), org.assertj.core.groups.Tuple.tuple("h0", "h1"));
        // h2 hosted 10 % of v2 for the 60 s: 100 + 4.5 W = 104.5 W × 60 s more than the single move.
        assertThat(r.energyKwh()).isCloseTo((279_270 + 104.5 * 60) / 3.6e6, within(1e-9));
    }
}
