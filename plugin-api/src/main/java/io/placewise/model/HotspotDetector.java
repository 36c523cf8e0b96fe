package io.placewise.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Hotspot rule of seed 004 §3.4.2: a resource is overloaded when both its current value and the AR(1)
 * forecast over the host's load window exceed the threshold (a momentary peak is not a hotspot).
 * Shared by the HotspotFilter (never place onto a hotspot) and the balancer (move away from one).
 */
public final class HotspotDetector {
    /** Seed 004 §4.1: 85 % CPU, 150 swap writes/s (reads do not count), 80 % NIC with IDC excluded. */
    public static final HotspotDetector DEFAULT = new HotspotDetector(0.85, 150.0, 0.80);

    /** The parameters of the rule, as {@code [HotspotFilter]} names them. */
    public static final String CPU_THRESHOLD = "cpu_threshold";
    public static final String SWAP_WRITES_THRESHOLD = "swap_writes_threshold";
    public static final String NIC_THRESHOLD = "nic_threshold";

    private final double cpuThreshold;
    private final double swapWritesThreshold;
    private final double nicThreshold;

    public HotspotDetector(double cpuThreshold, double swapWritesThreshold, double nicThreshold) {
        this.cpuThreshold = cpuThreshold;
        this.swapWritesThreshold = swapWritesThreshold;
        this.nicThreshold = nicThreshold;
    }

    /** The policy whose parameters carry the thresholds: placing (the filter) and moving (the balancer) judge alike. */
    public static final String POLICY = "HotspotFilter";

    /** The rule with the thresholds of a policy's parameters (HotspotFilter's): one rule for placing and for moving. */
    public static HotspotDetector of(io.placewise.plugin.PolicyParams params) {
        return new HotspotDetector(params.getDouble(CPU_THRESHOLD), params.getDouble(SWAP_WRITES_THRESHOLD),
                params.getDouble(NIC_THRESHOLD));
    }

    /**
     * The rule with {@link #POLICY}'s configured parameters, or {@link #DEFAULT} when no policy of that
     * name is installed: services build it here, from parameters, without linking the filter's class.
     */
    public static HotspotDetector of(java.util.Optional<io.placewise.plugin.PolicyParams> params) {
        return params.map(HotspotDetector::of).orElse(DEFAULT);
    }

    public double cpuThreshold() {
        return cpuThreshold;
    }

    public double swapWritesThreshold() {
        return swapWritesThreshold;
    }

    public double nicThreshold() {
        return nicThreshold;
    }

    /** Which resources of a host are overloaded, and why; {@link #isHotspot()} when any is. */
    public record Judgement(String host, boolean cpu, boolean memory, boolean network, List<String> reasons) {
        public static Judgement none(String host) {
            return new Judgement(host, false, false, false, List.of());
        }

        public boolean isHotspot() {
            return cpu || memory || network;
        }

        public String reason() {
            return String.join("; ", reasons);
        }
    }

    /**
     * Judges {@code host} on its current values and its window (oldest first); with no window the
     * current value is the only sample, so the forecast is that value.
     */
    public Judgement judge(Host host, List<LoadSample> window) {
        // The forecast only matters when the host is over a threshold now; most hosts stop here.
        if (!overNow(host)) {
            return Judgement.none(host.name());
        }
        List<String> reasons = new ArrayList<>(3);
        boolean cpu = over(host, window, "CPU", Host::cpuUtil, LoadSample::cpuUtil, cpuThreshold, true, reasons);
        boolean mem = over(host, window, "swap writes", Host::swapWritesPerS, LoadSample::swapWritesPerS,
                swapWritesThreshold, false, reasons);
        boolean nic = over(host, window, "NIC (IDC excluded)", Host::nicUtil, LoadSample::nicUtil, nicThreshold, true, reasons);
        return new Judgement(host.name(), cpu, mem, nic, List.copyOf(reasons));
    }

    /**
     * Whether any resource of the host is over its threshold now: without that it is no hotspot
     * whatever its window says, so callers need not fetch the window.
     */
    public boolean overNow(Host host) {
        return host.cpuUtil() > cpuThreshold || host.swapWritesPerS() > swapWritesThreshold || host.nicUtil() > nicThreshold;
    }

    private static boolean over(Host host, List<LoadSample> window, String resource, ToDoubleFunction<Host> now,
                                ToDoubleFunction<LoadSample> sampled, double threshold, boolean fraction,
                                List<String> reasons) {
        double current = now.applyAsDouble(host);
        if (current <= threshold) {
            return false;
        }
        double forecast = Ar1Forecast.next(window, sampled, current);
        if (forecast <= threshold) {
            return false;
        }
        reasons.add(String.format(Locale.ROOT, "hotspot: %s now %s, AR(1) forecast %s over %d sample(s), threshold %s",
                resource, fmt(current, fraction), fmt(forecast, fraction), Math.max(1, window.size()), fmt(threshold, fraction)));
        return true;
    }

    private static String fmt(double v, boolean fraction) {
        return fraction ? String.format(Locale.ROOT, "%.1f%%", v * 100) : String.format(Locale.ROOT, "%.0f pages/s", v);
    }
}
