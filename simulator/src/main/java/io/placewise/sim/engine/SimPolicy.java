package io.placewise.sim.engine;

import java.util.List;

/** A placement and migration policy under replay: the baselines and Placewise's own goals. */
public interface SimPolicy {
    /** Its name in {@code --policies} and the report. */
    String name();

    /**
     * Places VMs that have no host yet (the initial placement, VMs that arrive later, and ones no host could take
     * before) with {@link Datacenter#place}; the ones it leaves stay pending and are offered again next interval.
     */
    void place(Datacenter dc, List<SimVm> vms);

    /** The migrations to start now, and hosts to switch off or on. */
    Decision decide(Datacenter dc);
}
