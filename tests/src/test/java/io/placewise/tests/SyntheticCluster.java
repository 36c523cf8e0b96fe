package io.placewise.tests;

import java.util.Locale;
import java.util.Random;

/**
 * A cluster of {@code hosts} 32-vCPU hosts named {@code cmp0001}…, {@code vmsPerHost} VMs each of every
 * workload class, loads spread from idle to overloaded (every 97th host a CPU hotspot), as the body of
 * {@code PUT /v1/cluster}. Seeded, so a run can be repeated.
 */
final class SyntheticCluster {
    private static final String[] WORKLOADS = {"cpu", "memory", "disk_io", "net_rx", "web", "mixed"};

    private SyntheticCluster() {
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "cmp%04d", i + 1);
    }

    static boolean isHotspot(int i) {
        return i % 97 == 5;
    }

    static String json(int hosts, int vmsPerHost, long seed) {
        Random r = new Random(seed);
        StringBuilder h = new StringBuilder();
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < hosts; i++) {
            double load = isHotspot(i) ? 0.9 + r.nextDouble() * 0.08 : Math.min(0.84, Math.abs(r.nextGaussian() * 0.2 + 0.4));
            h.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"capacity\":{\"vcpus\":32,\"memory_mb\":131072,\"disk_gb\":2000,\"nic_mbps\":10000},"
                            + "\"cpu_util\":%.3f,\"mem_util\":%.3f,\"nic_util\":%.3f,\"enabled\":%b}",
                    name(i), load, Math.min(0.95, load * 0.8 + r.nextDouble() * 0.2), r.nextDouble() * 0.6, i % 250 != 17));
            for (int k = 0; k < vmsPerHost; k++) {
                v.append(v.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"id\":\"%s-vm%d\",\"host\":\"%s\",\"vcpus\":2,\"memory_mb\":4096,\"disk_gb\":40,\"cpu_util\":%.4f,"
                                + "\"dirty_rate_mbps\":%.1f,\"workload\":\"%s\"}",
                        name(i), k, name(i), load / vmsPerHost, 5 + r.nextDouble() * 100, WORKLOADS[(i + k) % WORKLOADS.length]));
            }
        }
        return "{\"hosts\":[" + h + "],\"vms\":[" + v + "],\"traffic\":[]}";
    }
}
