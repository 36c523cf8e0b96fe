package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.bridge.config.BalancerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 on H2 (one bridge alone): {@code GET /healthz} says {@code balancer: leader} when
 * {@code [balancer] enabled}, {@code disabled} otherwise, beside its other fields, and {@code /metrics}
 * exports the same as {@code placewise_balancer_leader}.
 */
class BalancerRoleHealthTest {
    @TempDir
    Path dir;

    @Test
    void aBridgeAloneLeadsWhenItsBalancerIsEnabled() throws Exception {
        try (AgentFarm agents = new AgentFarm();
             Bridge bridge = new Bridge(dir.resolve("on"), agents.config(AgentFarm.limits(1, 4, 0)).withPeriodic(true, 3600, false, 1))) {
            Bridge.Reply health = bridge.get("/healthz", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().get("status").asText()).isEqualTo("ok");
            assertThat(health.body().get("database").asText()).isEqualTo("ok");
            assertThat(health.body().get("balancer").asText()).isEqualTo("leader");
            String metrics = bridge.get("/metrics", null).text();
            assertThat(metrics).contains("placewise_balancer_leader 1.0").contains("placewise_balancer_executes_plans 1.0");
        }
    }

    @Test
    void aBridgeWithItsBalancerDisabledSaysSoAndStillExecutesPlans() throws Exception {
        try (Bridge bridge = new Bridge(dir.resolve("off"), BalancerConfig.DEFAULT)) {
            assertThat(bridge.get("/healthz", null).body().get("balancer").asText()).isEqualTo("disabled");
            String metrics = bridge.get("/metrics", null).text();
            assertThat(metrics).contains("placewise_balancer_leader 0.0").contains("placewise_balancer_executes_plans 1.0");
        }
    }
}
