package io.placewise.bridge.resources;

import io.placewise.bridge.api.PolicyDtos.ParameterDto;
import io.placewise.bridge.api.PolicyDtos.PolicyDto;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.balancer.BalancerSettings;
import io.placewise.scheduler.PolicySet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The balancer as {@code GET /v1/policies} lists it: kind {@code balancer}, its {@code [balancer]} settings (no token). */
public final class BalancerPolicy {
    public static final String NAME = "Balancer";

    private BalancerPolicy() {
    }

    /** @param policies the policies as they run: the balancer's history tolerance and NB are theirs (one rule each) */
    public static PolicyDto dto(BalancerConfig c, PolicySet policies) {
        BalancerSettings s = c.settings().withRulesOf(policies);
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
        params.put("executor", c.executor());
        params.put("strategy", c.execution().strategy().wireName());
        params.put("trigger_after", Integer.toString(c.triggerAfter()));
        params.put("vm_cooldown_s", Long.toString(c.execution().vmCooldown().toSeconds()));
        params.put("max_parallel_per_host", Integer.toString(c.execution().maxParallelPerHost()));
        params.put("max_parallel", Integer.toString(c.execution().maxParallel()));
        params.put("max_moves_per_hour", Integer.toString(c.execution().maxMovesPerHour()));
        params.put("agent_unreachable_grace_s", Long.toString(c.execution().unreachableGrace().toSeconds()));
        params.put("failed_move_cooldown_s", Long.toString(c.execution().failedMoveCooldown().toSeconds()));
        params.put("balloon_settle_s", Integer.toString(c.balloonSettleS()));
        params.put("switch_off_freed_hosts", Boolean.toString(c.switchOffFreedHosts()));
        List<ParameterDto> parameters = List.of(
                new ParameterDto("threshold", "number", "0.1", "T: imbalance triggers when C_m > T (seed 000 §3.1)"),
                new ParameterDto("victim_policy", "string", "volume", "hotspot victims: volume (seed 004) or vsr (Sandpiper)"),
                new ParameterDto("history_tolerance", "number", "0.05", "a history record is similar within this CPU utilisation per host; "
                        + "deprecated alias of [HistoryMatchWeigher] tolerance, whose value is shown"),
                new ParameterDto("history_size", "integer", "20", "history records kept (seed 000 §4.1)"),
                new ParameterDto("strategy", "string", "auto", "auto: the agent chooses at the point of migration; planned: "
                        + "the audit's proposal is ordered"),
                new ParameterDto("trigger_after", "integer", "3", "consecutive periodic evaluations a trigger must hold"),
                new ParameterDto("vm_cooldown_s", "integer", "1800", "a migrated VM is not planned or moved again for this long"),
                new ParameterDto("failed_move_cooldown_s", "integer", "600", "a VM whose migration failed or was aborted is "
                        + "not planned again for this long"),
                new ParameterDto("max_parallel_per_host", "integer", "1", "migrations at once involving one host"),
                new ParameterDto("max_parallel", "integer", "4", "migrations at once in the cluster"),
                new ParameterDto("max_moves_per_hour", "integer", "20", "migrations started in any rolling hour (0: no limit)"),
                new ParameterDto("agent_unreachable_grace_s", "integer", "120",
                        "an executor may stay silent this long before its step shows failed (and is still reconciled)"),
                new ParameterDto("switch_off_freed_hosts", "boolean", "true", "a host a consolidate plan freed is switched "
                        + "off (disabled; with executor = nova its compute service too) once the plan ended and it is empty"));
        return new PolicyDto(NAME, "balancer", c.enabled(), null, params,
                "When, which, where and in what order to migrate (seed 001 §IV): imbalance and hotspot audits; "
                        + "configured in [balancer] of placewise.conf", parameters);
    }
}
