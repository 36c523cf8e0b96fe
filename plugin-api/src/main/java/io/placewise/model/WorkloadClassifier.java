package io.placewise.model;


/**
 * Names a VM's workload class (seed 002 §3.1 Table 1 and §3.2) from what the profiler measured:
 * memory-intensive (OLTP, SPECjbb: a high dirty rate or swapping) before disk-I/O-bound before
 * network-bound (mostly receiving: {@code net_rx}; serving: {@code web}) before CPU-bound
 * (SPEC CPU: busy vCPUs, little else); anything quieter is {@code mixed}. The order follows what
 * costs a migration most (seed 002 Table 1), so a VM busy in two ways gets the costlier class.
 *
 * @param memoryDirtyMbps   dirty rate from which a VM is memory-intensive
 * @param memorySwapPerS    guest swap writes per second from which a VM is memory-intensive
 * @param diskMbPerS        block read + write (MB/s) from which a VM is disk-I/O-bound
 * @param netMbps           NIC rx + tx (Mbit/s) from which a VM is network-bound
 * @param rxShare           share of its traffic received from which a network-bound VM is {@code net_rx}
 * @param cpuUtilPerVcpu    busy fraction of its vCPUs from which a VM is CPU-bound
 */
public record WorkloadClassifier(double memoryDirtyMbps, double memorySwapPerS, double diskMbPerS, double netMbps,
                                 double rxShare, double cpuUtilPerVcpu) {
    public static final WorkloadClassifier DEFAULT = new WorkloadClassifier(100, 10, 10, 50, 0.67, 0.6);

    /** What the profiler measured of one VM over its last interval. */
    public record Usage(double cpuUtilPerVcpu, double dirtyRateMbps, double swapWritesPerS, double diskMbPerS,
                        double netRxMbps, double netTxMbps) {
    }

    public WorkloadClass classify(Usage u) {
        if (u.dirtyRateMbps() >= memoryDirtyMbps || u.swapWritesPerS() >= memorySwapPerS) {
            return WorkloadClass.MEMORY;
        }
        if (u.diskMbPerS() >= diskMbPerS) {
            return WorkloadClass.DISK_IO;
        }
        double net = u.netRxMbps() + u.netTxMbps();
        if (net >= netMbps) {
            return u.netRxMbps() / net >= rxShare ? WorkloadClass.NET_RX : WorkloadClass.WEB;
        }
        if (u.cpuUtilPerVcpu() >= cpuUtilPerVcpu) {
            return WorkloadClass.CPU;
        }
        return WorkloadClass.MIXED;
    }
}
