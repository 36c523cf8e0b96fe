package io.placewise.filters;

import io.placewise.model.HotspotDetector;
import io.placewise.plugin.HostFilter;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.plugin.Verdict;
import java.util.List;

/**
 * Rejects hotspots: hosts whose CPU, swap writes or NIC (IDC excluded) exceed the threshold both now
 * and by the AR(1) forecast over their load window (seed 004 §3.4.2). Runs once per request: the
 * verdict reads the host's measured load and window, which the request's own claims do not change,
 * so the later instances of a multi-instance request reuse it instead of forecasting again.
 */
public final class HotspotFilter implements HostFilter {
    static final String CPU = HotspotDetector.CPU_THRESHOLD;
    static final String SWAP = HotspotDetector.SWAP_WRITES_THRESHOLD;
    static final String NIC = HotspotDetector.NIC_THRESHOLD;

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
    public boolean runOncePerRequest() {
        return true;
    }

    @Override
    public HostCheck prepare(PlacementContext context, PolicyParams params) {
        HotspotDetector detector = HotspotDetector.of(params);
        return host -> {
            if (!detector.overNow(host)) {
                return Verdict.pass();
            }
            HotspotDetector.Judgement j = detector.judge(host, context.cluster().samples(host.name()));
            // The first overloaded resource names the rejection, in the order CPU, swap writes, NIC.
            return j.isHotspot() ? Verdict.reject(j.reasons().get(0)) : Verdict.pass();
        };
    }
}
