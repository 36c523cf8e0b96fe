package io.placewise.filters;

import io.placewise.model.Ar1Forecast;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Rejects hotspots: hosts whose CPU, swap writes or NIC (IDC excluded) exceed the threshold both now
 * and by the AR(1) forecast over their load window (seed 004 §3.4.2).
 */
public final class HotspotFilter implements HostFilter {
    static final String CPU = "cpu_threshold";
    static final String SWAP = "swap_writes_threshold";
    static final String NIC = "nic_threshold";

    @Override
    public String description() {
        return "No placement onto a hotspot: CPU, swap writes or NIC over the threshold now and by the AR(1) forecast (seed 004 §3.4.2)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.number(CPU, 0.85, 0.0, 1.0, "CPU utilisation above which a host is overloaded"),
                ParamSpec.number(SWAP, 150.0, 0.0, 1e9, "swap writes (pages/s) above which a host is overloaded; reads do not count"),
                ParamSpec.number(NIC, 0.80, 0.0, 1.0, "NIC utilisation, IDC excluded, above which a host is overloaded"));
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        double cpu = params.getDouble(CPU);
        double swap = params.getDouble(SWAP);
        double nic = params.getDouble(NIC);
        return host -> {
            // The forecast only matters when the host is over a threshold now; most hosts stop here.
            if (host.cpuUtil() <= cpu && host.swapWritesPerS() <= swap && host.nicUtil() <= nic) {
                return Verdict.pass();
            }
            List<LoadSample> window = context.cluster().samples(host.name());
            Verdict v = judge(host, window, "CPU", Host::cpuUtil, LoadSample::cpuUtil, cpu, true);
            if (v.passed()) {
                v = judge(host, window, "swap writes", Host::swapWritesPerS, LoadSample::swapWritesPerS, swap, false);
            }
            if (v.passed()) {
                v = judge(host, window, "NIC (IDC excluded)", Host::nicUtil, LoadSample::nicUtil, nic, true);
            }
            return v;
        };
    }

    private static Verdict judge(Host host, List<LoadSample> window, String resource, ToDoubleFunction<Host> now,
                                 ToDoubleFunction<LoadSample> sampled, double threshold, boolean fraction) {
        double current = now.applyAsDouble(host);
        if (current <= threshold) {
            return Verdict.pass();
        }
        double forecast = Ar1Forecast.next(series(window, sampled, current));
        if (forecast <= threshold) {
            return Verdict.pass();
        }
        return Verdict.reject(String.format("hotspot: %s now %s, AR(1) forecast %s over %d sample(s), threshold %s",
                resource, fmt(current, fraction), fmt(forecast, fraction), Math.max(1, window.size()), fmt(threshold, fraction)));
    }

    /** The window's values, oldest first; the host's current value alone when there is no window. */
    private static double[] series(List<LoadSample> window, ToDoubleFunction<LoadSample> sampled, double current) {
        if (window.isEmpty()) {
            return new double[] {current};
        }
        double[] out = new double[window.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sampled.applyAsDouble(window.get(i));
        }
        return out;
    }

    private static String fmt(double v, boolean fraction) {
        return fraction ? String.format("%.1f%%", v * 100) : String.format("%.0f pages/s", v);
    }
}
