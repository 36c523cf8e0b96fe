package io.placewise.migrator;

import java.util.List;

/**
 * What the profiler (SPEC "Profiler", seed 004 §3.4.1) reads from the local hypervisor: the
 * counters of every running domain. Separate from {@link Hypervisor} so that the migration logic's
 * port stays as narrow as it is. May throw {@link HypervisorException}.
 */
public interface DomainProbe {
    /**
     * The running domains' counters now. Implementations may start the next dirty-rate
     * measurement here, so that the following sample reports a fresh one without blocking.
     */
    List<DomainUsage> sample();
}
