package io.placewise.bridge.novasemantics;

import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.PlacementContext;
import io.placewise.plugin.PolicyParams;
import io.placewise.scheduler.PlacementPipeline;
import io.placewise.scheduler.PolicyKind;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import java.util.Map;
import java.util.function.Function;

/**
 * The weight Nova's own weighers already gave a host (SAP's fork sends their sum per host), as one
 * more weigher of the pipeline, so it is normalised exactly like Placewise's; a host Nova gave no
 * weight counts as Nova's lowest. Request-scoped: built per request, never found by ServiceLoader.
 */
public final class NovaWeights implements HostWeigher {
    public static final String NAME = "NovaWeights";
    private final Map<String, Double> byNovaHost;
    private final Function<String, String> novaName;
    private final double lowest;

    /**
     * @param byNovaHost Nova's weight per Nova host name
     * @param novaName   a candidate's Nova name from its Placewise name
     */
    public NovaWeights(Map<String, Double> byNovaHost, Function<String, String> novaName) {
        this.byNovaHost = Map.copyOf(byNovaHost);
        this.novaName = novaName;
        this.lowest = byNovaHost.values().stream().mapToDouble(Double::doubleValue).min().orElse(0.0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "The weight Nova's weighers gave the host (SAP's external-scheduler hook)";
    }

    @Override
    public HostScorer prepare(PlacementContext context, PolicyParams params) {
        return host -> byNovaHost.getOrDefault(novaName.apply(host.name()), lowest);
    }

    /** This weigher with its multiplier, ready for {@link PlacementPipeline#weigh(io.placewise.scheduler.PlacementRequest, PolicySet, java.util.List)}. */
    public PolicySet.Configured<HostWeigher> configured(double multiplier) {
        return new PolicySet.Configured<>(this, new PolicySettings(NAME, PolicyKind.WEIGHER, true, multiplier, PolicyParams.none()));
    }
}
