package io.placewise.migrator.agent.profiler;

/**
 * The host's cumulative counters from {@code /proc} at one moment: CPU jiffies (all and idle),
 * memory, swapped-out pages ({@code pswpout} of {@code /proc/vmstat}) and NIC bytes.
 */
public record HostCounters(long atNanos, int cpus, long cpuTotalJiffies, long cpuIdleJiffies, long memTotalKib,
                           long memAvailableKib, long pswpout, long nicRxBytes, long nicTxBytes) {
}
