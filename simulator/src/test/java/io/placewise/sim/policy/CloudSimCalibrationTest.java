package io.placewise.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.sim.SharedTraces;
import io.placewise.sim.engine.PolicyResult;
import io.placewise.sim.engine.Simulation;
import io.placewise.sim.setup.CloudSimSetup;
import io.placewise.sim.trace.PlanetLabReader;
import io.placewise.sim.trace.Trace;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The baselines against CloudSim 4.0 itself on PlanetLab day 20110303 (issue 12, measured with CloudSim): THR-MMT 0.8
 * 198.08 kWh and 27,728 migrations; LR-MMT 1.2 167.83 kWh and 27,649 migrations. Both must land within ±10 % on
 * energy and migrations. A full simulated day per policy: run with {@code -Pcalibration} (CI does).
 */
@Tag("calibration")
class CloudSimCalibrationTest {
    private static final Trace DAY = PlanetLabReader.read(SharedTraces.planetLabDay("20110303"));

    private static PolicyResult run(CloudSimMigrationPolicy policy) {
        return new Simulation(CloudSimSetup.create(), DAY, 30, 0.85).run(policy);
    }

    @Test
    void thrMmtIsWithinTenPercentOfCloudSim() {
        PolicyResult r = run(CloudSimMigrationPolicy.thrMmt(0.8));
        assertThat(r.energyKwh()).isBetween(198.08 * 0.9, 198.08 * 1.1);
        assertThat(r.migrations()).isBetween((int) (27_728 * 0.9), (int) (27_728 * 1.1));
    }

    @Test
    void lrMmtIsWithinTenPercentOfCloudSim() {
        PolicyResult r = run(CloudSimMigrationPolicy.lrMmt(1.2));
        assertThat(r.energyKwh()).isBetween(167.83 * 0.9, 167.83 * 1.1);
        assertThat(r.migrations()).isBetween((int) (27_649 * 0.9), (int) (27_649 * 1.1));
        // Reported, not calibrated: CloudSim measured SLATAH 5.72 %, PDM 0.08 %, SLAV 4.32e-5.
        assertThat(r.slatah()).isBetween(0.03, 0.09);
        assertThat(r.pdm()).isBetween(0.0004, 0.0012);
    }
}
