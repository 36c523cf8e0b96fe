package io.placewise.migrator;

/**
 * One running domain's counters as the hypervisor keeps them (libvirt's domain stats): cumulative
 * CPU time, network and block bytes and guest swap-outs, so the profiler turns two samples into
 * rates; the memory the guest has and uses; and the hypervisor's latest dirty-rate measurement
 * (Mbit/s; null when none has finished yet). Counters a host does not report are 0.
 * {@code migratingIn}: the domain is the destination side of a migration still under way (paused
 * while pages arrive, or running in post-copy): it still belongs to its source.
 */
public record DomainUsage(String domain, int vcpus, long cpuTimeNs, long memoryMib, long memoryUsedMib,
                          long netRxBytes, long netTxBytes, long blockReadBytes, long blockWriteBytes,
                          long swapOutKib, Double dirtyRateMbps, boolean migratingIn) {
}
