package io.placewise.sim.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The simulated data centre: hosts, how VMs are sized, the replay interval and the modelling choices that decide
 * whether a run can be compared with CloudSim's.
 *
 * @param hostTypes         host kinds; hosts are numbered in {@link #hostOrder} order
 * @param interleaveHosts   host i is of type {@code i mod types} (CloudSim's {@code Helper.createHostList}); else grouped
 * @param vmTypes           sizes given to VMs whose trace provisions nothing (PlanetLab), VM i getting type
 *                          {@code i / ceil(n / types)} as CloudSim's {@code Helper.createVmList}; unused when traces size
 *                          their VMs and this is empty
 * @param intervalS         seconds between two samples and two decisions
 * @param durationS         how much of the trace to replay; 0 for all of it
 * @param migrationLinkMbps bandwidth a live migration gets (CloudSim: half the host's 1 Gbit/s, the other half
 *                          carries the VMs' own traffic)
 * @param retireIdleVms     a VM whose CPU is 0 at two successive samples ends there (CloudSim 4.0 removes such VMs:
 *                          {@code HostDynamicWorkload.getCompletedVms}; Cloudslab/cloudsim#159)
 * @param reserveMemory     VMs hold their provisioned memory on their host; false reproduces CloudSim's PlanetLab
 *                          experiment, whose cloudlets request no RAM or bandwidth ({@code UtilizationModelNull})
 * @param cpuUnitMips       the CPU unit shown to Placewise's core as one "vCPU" of capacity, so that a VM's CPU share
 *                          rescales exactly between hosts of different core speed
 * @param dirtyRateMbps     dirty rate of VMs sized from their trace
 * @param vmDiskGb          disk of VMs sized from their trace
 * @param hostNames         the hosts' names in host order (a live cluster's); empty: {@code h000}, {@code h001}, …
 */
public record Setup(String name, List<HostType> hostTypes, boolean interleaveHosts, List<VmType> vmTypes, int intervalS,
                    long durationS, double migrationLinkMbps, boolean retireIdleVms, boolean reserveMemory,
                    double cpuUnitMips, double dirtyRateMbps, long vmDiskGb, List<String> hostNames) {
    public Setup {
        Objects.requireNonNull(name, "name");
        hostTypes = List.copyOf(hostTypes);
        vmTypes = List.copyOf(vmTypes);
        hostNames = List.copyOf(hostNames);
        if (!hostNames.isEmpty() && hostNames.size() != hostTypes.stream().mapToInt(HostType::count).sum()) {
            throw new IllegalArgumentException("host_names must name every host");
        }
        if (hostTypes.isEmpty() || hostTypes.stream().mapToInt(HostType::count).sum() < 1) {
            throw new IllegalArgumentException("a setup needs at least one host");
        }
        if (intervalS < 1 || durationS < 0 || !(migrationLinkMbps > 0) || !(cpuUnitMips > 0) || !(dirtyRateMbps >= 0)
                || vmDiskGb < 0) {
            throw new IllegalArgumentException("interval_s >= 1, duration_s >= 0, migration_link_mbps > 0, "
                    + "cpu_unit_mips > 0, dirty_rate_mbps >= 0 and vm_disk_gb >= 0 are required");
        }
    }

    /** The type of every host, in host order. */
    public List<HostType> hostsInOrder() {
        List<HostType> out = new ArrayList<>();
        if (interleaveHosts) {
            int total = hostTypes.stream().mapToInt(HostType::count).sum();
            int[] left = hostTypes.stream().mapToInt(HostType::count).toArray();
            int i = 0;
            while (out.size() < total) {
                int t = i++ % hostTypes.size();
                if (left[t] > 0) {
                    left[t]--;
                    out.add(hostTypes.get(t));
                }
            }
        } else {
            hostTypes.forEach(t -> {
                for (int i = 0; i < t.count(); i++) {
                    out.add(t);
                }
            });
        }
        return out;
    }

    /** Intervals to replay of a trace with {@code traceIntervals}. */
    public int intervals(int traceIntervals) {
        if (durationS == 0) {
            return traceIntervals;
        }
        return (int) Math.min(traceIntervals, durationS / intervalS);
    }
}
