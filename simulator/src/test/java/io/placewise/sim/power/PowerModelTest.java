package io.placewise.sim.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The SPECpower curves CloudSim ships for its PlanetLab experiment, point by point, and between the points. */
class PowerModelTest {
    @Test
    void hpMl110G4AtCloudSimsPublishedPoints() {
        // PowerModelSpecPowerHpProLiantMl110G4Xeon3040: 86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117 W.
        double[] published = {86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117};
        for (int i = 0; i <= 10; i++) {
            assertThat(PowerModel.HP_ML110_G4.at(i / 10.0)).as("%d %%", i * 10).isCloseTo(published[i], within(1e-9));
        }
    }

    @Test
    void hpMl110G5AtCloudSimsPublishedPoints() {
        // PowerModelSpecPowerHpProLiantMl110G5Xeon3075: 93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135 W.
        double[] published = {93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135};
        for (int i = 0; i <= 10; i++) {
            assertThat(PowerModel.HP_ML110_G5.at(i / 10.0)).as("%d %%", i * 10).isCloseTo(published[i], within(1e-9));
        }
    }

    @Test
    void betweenPointsTheCurveIsLinearAsCloudSimInterpolatesIt() {
        // 15 %: halfway between 89.4 and 92.6; 55 %: halfway between 116 and 121; 87 %: 129 + 0.7 × 4.
        assertThat(PowerModel.HP_ML110_G4.at(0.15)).isCloseTo(91.0, within(1e-9));
        assertThat(PowerModel.HP_ML110_G5.at(0.55)).isCloseTo(118.5, within(1e-9));
        assertThat(PowerModel.HP_ML110_G5.at(0.87)).isCloseTo(131.8, within(1e-9));
    }

    @Test
    void utilisationOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> PowerModel.HP_ML110_G4.at(1.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PowerModel.HP_ML110_G4.at(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PowerModel("x", new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PowerModel("x", new double[] {5, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14}))
                .hasMessageContaining("not decrease");
    }
}
