package io.placewise.migrator.agent.profiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@link HostCounters} from a {@code /proc} tree: {@code stat} (aggregate cpu line, one
 * {@code cpuN} line per CPU), {@code meminfo}, {@code vmstat} and {@code net/dev}. The root is a
 * parameter so tests give it a fixed tree.
 *
 * <p>With a CPU cgroup the host's CPU is what that cgroup used out of {@code cpus} CPUs instead of
 * {@code /proc/stat}'s whole machine: where several hosts share one kernel (the lab's two libvirt
 * hosts, each with its own cgroup subtree) each sees only its own guests. Then the CPU counters
 * are nanoseconds (capacity = elapsed time × cpus, idle = capacity − usage), not jiffies; only
 * their ratio is used.
 */
public final class ProcReader {
    private final Path proc;
    private final List<String> nics;
    private final Path cpuCgroup;
    private final int cpus;
    private final Path sysClassNet;

    /**
     * @param nics the interfaces to count; empty: the physical ones, i.e. every interface but
     *             loopback and the virtual ones ({@code /sys/devices/virtual/net}: bridges, taps,
     *             veths), whose bytes are the VMs' own, IDC included
     */
    public ProcReader(Path proc, List<String> nics) {
        this(proc, nics, null, 0);
    }

    /**
     * @param cpuCgroup a cgroup directory whose CPU time is this host's (v1 {@code cpuacct.usage}
     *                  or v2 {@code cpu.stat} {@code usage_usec}); null: {@code /proc/stat}
     * @param cpus      the host's CPUs in that view; 0: the machine's
     */
    public ProcReader(Path proc, List<String> nics, Path cpuCgroup, int cpus) {
        this(proc, nics, cpuCgroup, cpus, Path.of("/sys/class/net"));
    }

    ProcReader(Path proc, List<String> nics, Path cpuCgroup, int cpus, Path sysClassNet) {
        this.proc = proc;
        this.nics = List.copyOf(nics);
        this.cpuCgroup = cpuCgroup;
        this.cpus = cpus;
        this.sysClassNet = sysClassNet;
    }

    /** A bridge, tap, veth, bond of those...: its device lives under {@code /sys/devices/virtual/net}. */
    private boolean virtual(String name) {
        Path dev = sysClassNet.resolve(name);
        try {
            return Files.exists(dev) && dev.toRealPath().toString().contains("/devices/virtual/");
        } catch (IOException e) {
            return false;
        }
    }

    public HostCounters read() {
        HostCounters machine = readProc();
        if (cpuCgroup == null) {
            return machine;
        }
        int n = cpus > 0 ? cpus : machine.cpus();
        long at = System.nanoTime();
        long usedNs = cgroupUsageNs();
        long capacityNs = at * n;
        return new HostCounters(at, n, capacityNs, capacityNs - usedNs, machine.memTotalKib(),
                machine.memAvailableKib(), machine.pswpout(), machine.nicRxBytes(), machine.nicTxBytes());
    }

    private long cgroupUsageNs() {
        Path v1 = cpuCgroup.resolve("cpuacct.usage");
        try {
            if (Files.exists(v1)) {
                return Long.parseLong(Files.readString(v1).trim());
            }
            for (String line : Files.readAllLines(cpuCgroup.resolve("cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring(11).trim()) * 1000;
                }
            }
            throw new UncheckedIOException(new IOException("no usage_usec in " + cpuCgroup.resolve("cpu.stat")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU usage of cgroup " + cpuCgroup, e);
        }
    }

    private HostCounters readProc() {
        long at = System.nanoTime();
        long total = 0;
        long idle = 0;
        int cpus = 0;
        for (String line : lines("stat")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                for (int i = 1; i < f.length && i <= 8; i++) { // user..steal; guest time is already in user
                    total += Long.parseLong(f[i]);
                }
                idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0); // idle + iowait
            } else if (f[0].matches("cpu\\d+")) {
                cpus++;
            }
        }
        long memTotal = 0;
        long memAvail = -1;
        long memFree = 0;
        for (String line : lines("meminfo")) {
            String[] f = line.trim().split("[:\\s]+");
            switch (f[0]) {
                case "MemTotal" -> memTotal = Long.parseLong(f[1]);
                case "MemAvailable" -> memAvail = Long.parseLong(f[1]);
                case "MemFree" -> memFree = Long.parseLong(f[1]);
                default -> { }
            }
        }
        long pswpout = 0;
        for (String line : lines("vmstat")) {
            if (line.startsWith("pswpout ")) {
                pswpout = Long.parseLong(line.substring(8).trim());
            }
        }
        long rx = 0;
        long tx = 0;
        for (String line : lines("net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the two header lines
            }
            String name = line.substring(0, colon).trim();
            if (nics.isEmpty() ? name.equals("lo") || virtual(name) : !nics.contains(name)) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new HostCounters(at, Math.max(cpus, 1), total, idle, memTotal, memAvail >= 0 ? memAvail : memFree,
                pswpout, rx, tx);
    }

    private List<String> lines(String name) {
        try {
            return Files.readAllLines(proc.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc.resolve(name), e);
        }
    }
}
