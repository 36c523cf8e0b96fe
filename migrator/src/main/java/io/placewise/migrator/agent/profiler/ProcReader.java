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
 */
public final class ProcReader {
    private final Path proc;
    private final List<String> nics;

    private final Path sysClassNet;

    /**
     * @param nics the interfaces to count; empty: the physical ones, i.e. every interface but
     *             loopback and the virtual ones ({@code /sys/devices/virtual/net}: bridges, taps,
     *             veths), whose bytes are the VMs' own, IDC included
     */
    public ProcReader(Path proc, List<String> nics) {
        this(proc, nics, Path.of("/sys/class/net"));
    }

    ProcReader(Path proc, List<String> nics, Path sysClassNet) {
        this.proc = proc;
        this.nics = List.copyOf(nics);
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
