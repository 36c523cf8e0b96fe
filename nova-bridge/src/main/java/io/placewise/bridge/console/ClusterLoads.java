package io.placewise.bridge.console;

import io.placewise.balancer.ImbalanceDetector;
import io.placewise.model.Ar1Forecast;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.HotspotDetector;
import io.placewise.model.LoadSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every host's load now and by its AR(1) forecast, and whether it is a hotspot (seed 004 §3.4.2, the
 * HotspotFilter's thresholds) or will be one by the forecast: what the dashboard's heat map and the
 * per-host gauges of {@code /metrics} show. Columns, not objects, so 10,000 hosts stay a few hundred KiB.
 *
 * @param stale per host, null when the bridge does not judge staleness
 */
public record ClusterLoads(List<String> hosts, double[] cpuUtil, double[] memUtil, double[] nicUtil,
                           double[] swapWritesPerS, double[] forecastCpuUtil, double[] forecastMemUtil,
                           double[] forecastNicUtil, double[] forecastSwapWritesPerS, boolean[] hotspot,
                           boolean[] forecastHotspot, boolean[] enabled, boolean[] stale, int[] vmCount,
                           HotspotDetector detector, ImbalanceDetector.Imbalance imbalance) {

    /** Whether a host has stopped reporting. */
    public interface Staleness {
        boolean isStale(ClusterSnapshot snapshot, Host host);
    }

    public int size() {
        return hosts.size();
    }

    /** @param staleness null when the bridge does not judge staleness (then {@link #stale()} is null) */
    public static ClusterLoads of(ClusterSnapshot s, HotspotDetector detector, Staleness staleness) {
        List<Host> all = s.hosts();
        int n = all.size();
        List<String> names = new ArrayList<>(n);
        double[] cpu = new double[n];
        double[] mem = new double[n];
        double[] nic = new double[n];
        double[] swap = new double[n];
        double[] fCpu = new double[n];
        double[] fMem = new double[n];
        double[] fNic = new double[n];
        double[] fSwap = new double[n];
        boolean[] hot = new boolean[n];
        boolean[] fHot = new boolean[n];
        boolean[] enabled = new boolean[n];
        boolean[] stale = staleness == null ? null : new boolean[n];
        int[] vms = new int[n];
        List<Host> enabledHosts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Host h = all.get(i);
            List<LoadSample> window = s.samples(h.name());
            names.add(h.name());
            cpu[i] = h.cpuUtil();
            mem[i] = h.memUtil();
            nic[i] = h.nicUtil();
            swap[i] = h.swapWritesPerS();
            fCpu[i] = Ar1Forecast.next(window, LoadSample::cpuUtil, h.cpuUtil());
            fMem[i] = Ar1Forecast.next(window, LoadSample::memUtil, h.memUtil());
            fNic[i] = Ar1Forecast.next(window, LoadSample::nicUtil, h.nicUtil());
            fSwap[i] = Ar1Forecast.next(window, LoadSample::swapWritesPerS, h.swapWritesPerS());
            hot[i] = detector.judge(h, window).isHotspot();
            fHot[i] = !hot[i] && (fCpu[i] > detector.cpuThreshold() || fSwap[i] > detector.swapWritesThreshold()
                    || fNic[i] > detector.nicThreshold());
            enabled[i] = h.enabled();
            if (stale != null) {
                stale[i] = staleness.isStale(s, h);
            }
            vms[i] = s.usage(h.name()).vmCount();
            if (h.enabled()) {
                enabledHosts.add(h);
            }
        }
        return new ClusterLoads(List.copyOf(names), cpu, mem, nic, swap, fCpu, fMem, fNic, fSwap, hot, fHot, enabled, stale,
                vms, detector, ImbalanceDetector.measure(enabledHosts));
    }

    /** By content: the arrays element by element (a record compares arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterLoads c && hosts.equals(c.hosts) && Arrays.equals(cpuUtil, c.cpuUtil)
                && Arrays.equals(memUtil, c.memUtil) && Arrays.equals(nicUtil, c.nicUtil)
                && Arrays.equals(swapWritesPerS, c.swapWritesPerS) && Arrays.equals(forecastCpuUtil, c.forecastCpuUtil)
                && Arrays.equals(forecastMemUtil, c.forecastMemUtil) && Arrays.equals(forecastNicUtil, c.forecastNicUtil)
                && Arrays.equals(forecastSwapWritesPerS, c.forecastSwapWritesPerS) && Arrays.equals(hotspot, c.hotspot)
                && Arrays.equals(forecastHotspot, c.forecastHotspot) && Arrays.equals(enabled, c.enabled)
                && Arrays.equals(stale, c.stale) && Arrays.equals(vmCount, c.vmCount) && sameThresholds(detector, c.detector)
                && java.util.Objects.equals(imbalance, c.imbalance);
    }

    private static boolean sameThresholds(HotspotDetector a, HotspotDetector b) {
        return a.cpuThreshold() == b.cpuThreshold() && a.swapWritesThreshold() == b.swapWritesThreshold()
                && a.nicThreshold() == b.nicThreshold();
    }

    @Override
    public int hashCode() {
        int h = hosts.hashCode();
        for (double[] a : List.of(cpuUtil, memUtil, nicUtil, swapWritesPerS, forecastCpuUtil, forecastMemUtil, forecastNicUtil,
                forecastSwapWritesPerS)) {
            h = h * 31 + Arrays.hashCode(a);
        }
        for (boolean[] a : List.of(hotspot, forecastHotspot, enabled, stale)) {
            h = h * 31 + Arrays.hashCode(a);
        }
        return h * 31 + Arrays.hashCode(vmCount);
    }

    @Override
    public String toString() {
        return "ClusterLoads[" + hosts + ", cpu " + Arrays.toString(cpuUtil) + ", hotspot " + Arrays.toString(hotspot) + "]";
    }
}
