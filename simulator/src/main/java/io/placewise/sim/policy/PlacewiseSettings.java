package io.placewise.sim.policy;

import io.placewise.balancer.BalancerSettings;
import io.placewise.model.HotspotDetector;
import io.placewise.scheduler.PolicySet;
import java.util.Objects;

/**
 * Placewise's policy settings as the bridge runs them: the effective filters and weighers (ServiceLoader catalogue,
 * config file, stored overrides), {@code [balancer]}, the hotspot rule of {@code [HotspotFilter]} and
 * {@code [scheduler] sample_window}.
 */
public record PlacewiseSettings(PolicySet policies, BalancerSettings balancer, HotspotDetector detector, int sampleWindow) {
    public PlacewiseSettings {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(balancer, "balancer");
        Objects.requireNonNull(detector, "detector");
        if (sampleWindow < 1) {
            throw new IllegalArgumentException("sample_window must be >= 1");
        }
    }
}
