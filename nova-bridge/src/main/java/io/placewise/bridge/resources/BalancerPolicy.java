package io.placewise.bridge.resources;

import io.placewise.bridge.api.PolicyDtos.ParameterDto;
import io.placewise.bridge.api.PolicyDtos.PolicyDto;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.balancer.BalancerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The balancer as {@code GET /v1/policies} lists it: kind {@code balancer}, its {@code [balancer]} settings (no token). */
public final class BalancerPolicy {
    public static final String NAME = "Balancer";

    private BalancerPolicy() {
    }

    public static PolicyDto dto(BalancerConfig c) {
        BalancerSettings s = c.settings();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("interval_s", Integer.toString(c.intervalS()));
        params.put("auto_execute", Boolean.toString(c.autoExecute()));
        params.put("threshold", Double.toString(s.threshold()));
        params.put("victim_policy", s.victimPolicy().wireName());
        params.put("history_tolerance", Double.toString(s.historyTolerance()));
        params.put("history_size", Integer.toString(s.historySize()));
        params.put("balloon_step_mb", Long.toString(s.balloonStepMb()));
        params.put("network_bound_mbps", Double.toString(s.networkBoundMbps()));
        params.put("max_moves", Integer.toString(s.maxMoves()));
        params.put("migrator_url_template", c.migratorUrlTemplate());
        List<ParameterDto> parameters = List.of(
                new ParameterDto("threshold", "number", "0.1", "T: imbalance triggers when C_m > T (seed 000 §3.1)"),
                new ParameterDto("victim_policy", "string", "volume", "hotspot victims: volume (seed 004) or vsr (Sandpiper)"),
                new ParameterDto("history_tolerance", "number", "0.05", "a history record is similar within this CPU utilisation per host"),
                new ParameterDto("history_size", "integer", "20", "history records kept (seed 000 §4.1)"));
        return new PolicyDto(NAME, "balancer", c.enabled(), null, params,
                "When, which, where and in what order to migrate (seed 001 §IV): imbalance and hotspot audits; "
                        + "configured in [balancer] of placewise.conf", parameters);
    }
}
