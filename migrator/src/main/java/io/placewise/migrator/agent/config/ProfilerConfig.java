package io.placewise.migrator.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [profiler]} section (SPEC "Profiler"): where the host's counters are read, and where
 * samples are pushed.
 *
 * @param bridgeUrl   the bridge's base URL; null: no push, {@code GET /v1/stats} only
 * @param bridgeToken the service token sent to the bridge (never logged)
 * @param hostName    this host's name at the bridge (default: the machine's host name)
 * @param interval    how often a sample is taken and pushed (default 10 s)
 * @param nics        the host's NICs counted in {@code nic_util} (empty: the physical ones)
 * @param nicMbps     the NICs' capacity for {@code nic_util} (Mbit/s)
 * @param procRoot    where {@code /proc} is (tests point it elsewhere)
 * @param cpuCgroup   {@code [profiler] cpu_cgroup}: a cgroup whose CPU time is this host's (null: {@code /proc/stat})
 * @param cpus        {@code [profiler] cpus}: the host's CPUs in that cgroup's view (0: the machine's)
 * @param traffic     how traffic between VMs is measured: {@code conntrack} (the kernel's connection
 *                    counters over netlink, VMs by their libvirt interface addresses) or {@code off}
 */
public record ProfilerConfig(String bridgeUrl, String bridgeToken, String hostName, Duration interval,
                             List<String> nics, double nicMbps, Path procRoot, Path cpuCgroup, int cpus,
                             String traffic) {
    public static final String CONNTRACK = "conntrack";
    public static final String OFF = "off";

    public boolean pushes() {
        return bridgeUrl != null && !bridgeUrl.isBlank();
    }

    public boolean measuresTraffic() {
        return CONNTRACK.equals(traffic);
    }
}
