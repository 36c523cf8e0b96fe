package io.placewise.migrator;

/**
 * One pre-copy round as the agent reports it ({@code rounds[]} of {@code GET /v1/migrations/{id}}):
 * the hypervisor's iteration number, the dirty rate of the pass that just ended and the transfer
 * rate (Mbit/s), the memory still to send (MiB), and the CPU share (%) the VM runs at from here on.
 */
public record RoundReport(long iteration, double dirtyRateMbps, double transferRateMbps, double remainingMib,
                          double cpuSharePct) {
}
