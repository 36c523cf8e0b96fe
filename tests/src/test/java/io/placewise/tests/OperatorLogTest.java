package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.placewise.balancer.execution.ExecutionSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 11 item 7: logs an operator can follow. One INFO line per scheduling decision (instance,
 * selected, rejected count, decision_ms), per audit (goal, triggered, plan size), per step state change;
 * names from requests cannot forge lines.
 */
class OperatorLogTest extends AgentsAndBridge {
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("io.placewise.bridge.decisions", "io.placewise.bridge.balancer")) {
            ((Logger) LoggerFactory.getLogger(name)).addAppender(lines);
        }
        lines.start();
        start(agents.config(ExecutionSettings.DEFAULT), "{\"hosts\": []}");
    }

    @AfterEach
    void detach() {
        for (String name : List.of("io.placewise.bridge.decisions", "io.placewise.bridge.balancer")) {
            ((Logger) LoggerFactory.getLogger(name)).detachAppender(lines);
        }
    }

    List<String> info(String logger) {
        return lines.list.stream().filter(e -> e.getLoggerName().equals(logger) && e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void everySchedulingDecisionIsOneLineWithItsInstanceSelectionRejectionsAndTime() throws Exception {
        bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);

        bridge.select("{\"spec\": {\"instance_uuid\": \"inst-42\", \"flavor\": {\"vcpus\": 2, \"memory_mb\": 2048, \"disk_gb\": 20, "
                + "\"extra_specs\": {\"placewise:workload\": \"disk_io\"}}}}");
        bridge.send("POST", "/v1/filter", Bridge.SERVICE,
                "{\"spec\": {\"instance_uuid\": \"evil\\nFAKE line\", \"flavor\": {\"vcpus\": 2, \"memory_mb\": 2048}}}");

        List<String> decisions = info("io.placewise.bridge.decisions");
        assertThat(decisions).hasSize(2);
        // A disk_io VM next to pm2's disk_io db1 is below the affinity floor; pm3 is the idle one.
        assertThat(decisions.get(0)).startsWith("select instance=inst-42 selected=pm3").contains("rejected=1 of 3")
                .containsPattern("decision_ms=\\d+\\.\\d{3}");
        assertThat(decisions.get(1)).startsWith("filter instance=evil\\nFAKE line").doesNotContain("\n");
    }

    @Test
    void everyAuditAndEveryStepStateChangeIsALine() throws Exception {
        bridge.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000());
        agents.allComplete();
        String id = bridge.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}").body().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> bridge.get("/v1/audits/" + id, Bridge.READER).body()
                .get("execution").get("state").asText().equals("completed"));

        List<String> balancer = info("io.placewise.bridge.balancer");
        assertThat(balancer.get(0)).startsWith("audit " + id + " (one-off, executing): goal=balance triggered=true plan=3 step(s)")
                .contains("decision_ms=");
        for (int step = 1; step <= 3; step++) {
            String prefix = "audit " + id + " step " + step + " (migrate ";
            assertThat(balancer).filteredOn(l -> l.startsWith(prefix)).as("step %d", step).hasSize(3)
                    .anySatisfy(l -> assertThat(l).contains(": new -> queued [migration "))
                    .anySatisfy(l -> assertThat(l).contains(": queued -> running [migration ").contains("strategy=auto]"))
                    .anySatisfy(l -> assertThat(l).contains(": running -> completed [migration "));
        }
    }
}
