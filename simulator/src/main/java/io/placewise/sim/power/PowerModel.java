package io.placewise.sim.power;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A server's power draw from its CPU utilisation, by linear interpolation between SPECpower_ssj2008 measurements at
 * 0 %, 10 %, …, 100 % (CloudSim's {@code PowerModelSpecPower}). An idle (0 %) host still draws the first point; a
 * host that runs nothing is switched off and draws nothing, which is the simulator's business, not the model's.
 *
 * @param watts eleven points, 0 % to 100 % in steps of 10 %
 */
public record PowerModel(String name, double[] watts) {
    /** HP ProLiant ML110 G4 (1 × Xeon 3040, 2 cores × 1860 MHz), CloudSim's {@code PowerModelSpecPowerHpProLiantMl110G4Xeon3040}. */
    public static final PowerModel HP_ML110_G4 = new PowerModel("HpProLiantMl110G4Xeon3040",
            new double[] {86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117});
    /** HP ProLiant ML110 G5 (1 × Xeon 3075, 2 cores × 2660 MHz), CloudSim's {@code PowerModelSpecPowerHpProLiantMl110G5Xeon3075}. */
    public static final PowerModel HP_ML110_G5 = new PowerModel("HpProLiantMl110G5Xeon3075",
            new double[] {93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135});
    /** IBM x3550 (2 × Xeon X5675, 12 cores × 3067 MHz), CloudSim's {@code PowerModelSpecPowerIbmX3550XeonX5675}. */
    public static final PowerModel IBM_X3550_X5675 = new PowerModel("IbmX3550XeonX5675",
            new double[] {58.4, 98, 109, 118, 128, 140, 153, 170, 189, 205, 222});

    private static final Map<String, PowerModel> BY_NAME = Map.of(
            HP_ML110_G4.name().toLowerCase(Locale.ROOT), HP_ML110_G4,
            HP_ML110_G5.name().toLowerCase(Locale.ROOT), HP_ML110_G5,
            IBM_X3550_X5675.name().toLowerCase(Locale.ROOT), IBM_X3550_X5675);

    public PowerModel {
        if (watts == null || watts.length != 11) {
            throw new IllegalArgumentException("a power model needs 11 points (0 %, 10 %, ..., 100 %)");
        }
        for (int i = 0; i < watts.length; i++) {
            if (!(watts[i] >= 0) || (i > 0 && watts[i] < watts[i - 1])) {
                throw new IllegalArgumentException("power points must be non-negative and not decrease, point " + i
                        + " is " + watts[i]);
            }
        }
        watts = watts.clone();
    }

    /** A shipped model by name (case-insensitive). */
    public static Optional<PowerModel> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    public static String names() {
        return String.join(", ", BY_NAME.values().stream().map(PowerModel::name).sorted().toList());
    }

    /** Watts at {@code utilization} in [0, 1]. */
    public double at(double utilization) {
        if (!(utilization >= 0) || utilization > 1 + 1e-9) {
            throw new IllegalArgumentException("utilisation must be in [0, 1], was " + utilization);
        }
        double x = Math.min(1, utilization) * 10;
        int lo = (int) Math.floor(x);
        if (lo >= 10) {
            return watts[10];
        }
        return watts[lo] + (watts[lo + 1] - watts[lo]) * (x - lo);
    }

    /** Watts at full load. */
    public double max() {
        return watts[10];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PowerModel p && p.name.equals(name) && Arrays.equals(p.watts, watts);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(watts);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(watts);
    }
}
