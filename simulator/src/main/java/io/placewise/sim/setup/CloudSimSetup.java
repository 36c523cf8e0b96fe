package io.placewise.sim.setup;

import io.placewise.sim.power.PowerModel;
import java.util.List;

/**
 * CloudSim 4.0's PlanetLab experiment ({@code examples/power/Constants}, {@code PlanetLabConstants}): 800 hosts,
 * half HP ProLiant ML110 G4 (2 × 1860 MIPS), half G5 (2 × 2660 MIPS), 4 GB and 1 Gbit/s each, interleaved; VM types
 * of 2500/2000/1000/500 MIPS with 870/1740/1740/613 MB; a 300 s interval over 24 h. As in CloudSim, VMs reserve no
 * RAM once running, a migration gets half the host's bandwidth, and a VM idle at two successive samples ends.
 */
public final class CloudSimSetup {
    private CloudSimSetup() {
    }

    public static Setup create() {
        HostType g4 = new HostType("HP ProLiant ML110 G4", 400, 2, 1860, 4096, 1000, 1000, PowerModel.HP_ML110_G4);
        HostType g5 = new HostType("HP ProLiant ML110 G5", 400, 2, 2660, 4096, 1000, 1000, PowerModel.HP_ML110_G5);
        List<VmType> vms = List.of(
                new VmType("cloudsim-2500", 2500, 1, 870, 3, 0),
                new VmType("cloudsim-2000", 2000, 1, 1740, 3, 0),
                new VmType("cloudsim-1000", 1000, 1, 1740, 3, 0),
                new VmType("cloudsim-500", 500, 1, 613, 3, 0));
        return new Setup("cloudsim", List.of(g4, g5), true, vms, 300, 24 * 3600, 500, true, false, 10, 0, 3, List.of());
    }
}
