package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent's migrations API end to end: real HTTP server, real migration runner and database, a
 * scripted hypervisor underneath. What a caller (the bridge's executor, an operator) sees.
 */
class MigrationsApiTest {
    @TempDir
    Path dir;
    ScriptedHypervisor hv = new ScriptedHypervisor();
    Agent agent;

    @BeforeEach
    void start() throws Exception {
        agent = new Agent(dir, hv);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void idleGuestMigratesWithPrecopyAndTheResultIsReported() throws Exception {
        hv.add("vm1", 0);
        Agent.Reply posted = agent.send("POST", "/v1/migrations", Agent.SERVICE,
                "{\"domain\":\"vm1\",\"destination_uri\":\"" + Agent.DEST + "\",\"strategy\":\"precopy\"}");
        assertThat(posted.status()).isEqualTo(202);
        String id = posted.body().get("id").asText();
        assertThat(posted.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/migrations/" + id));

        JsonNode m = agent.awaitState(id, "completed");
        assertThat(m.get("strategy_used").asText()).isEqualTo("precopy");
        assertThat(m.get("rounds")).hasSize(1);
        JsonNode round = m.get("rounds").get(0);
        assertThat(round.get("iteration").asLong()).isEqualTo(2);
        assertThat(round.get("remaining_mb").asDouble()).isZero();
        assertThat(round.get("cpu_share_pct").asDouble()).isEqualTo(100.0);
        assertThat(m.get("data_mb").asDouble()).isGreaterThanOrEqualTo(1024);
        assertThat(m.get("downtime_ms").asLong()).isLessThanOrEqualTo(300);
        assertThat(m.get("total_ms").asLong()).isPositive();
        assertThat(m.get("error").isNull()).isTrue();
        assertThat(hv.isRunningHere("vm1")).as("the VM left this host").isFalse();

        JsonNode list = agent.get("/v1/migrations").body();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void aPollThatRacesTheEndOfASuccessfulMigrationIsNoFailure() throws Exception {
        hv.add("vm1", 0);
        hv.pollRacesTheEnd = true;
        JsonNode m = agent.awaitState(agent.order("vm1", "precopy"), "completed");
        assertThat(m.get("error").isNull()).as(m.toString()).isTrue();
        assertThat(hv.calls).noneMatch(c -> c.startsWith("abortJob"));
    }

    /** Lab: a poll late in a pass must not set a low that later passes cannot beat. */
    @Test
    void aSlowlyConvergingPrecopyIsNotAbortedForMidPassLows(@TempDir Path other) throws Exception {
        ScriptedHypervisor slow = new ScriptedHypervisor();
        slow.add("vm1", 1187.5); // 950 Mbit/s at its 80 % share over 1000: each pass leaves 95 % of the last
        slow.midPassPolls = true;
        try (Agent strict = new Agent(other, slow, java.util.Map.of("migrator",
                java.util.Map.of("no_progress_timeout_s", "1")))) {
            JsonNode m = strict.awaitState(strict.order("vm1", "precopy"), "completed");
            assertThat(m.get("rounds").size()).isGreaterThan(60);
            assertThat(m.get("total_ms").asLong()).as("longer than the no-progress timeout").isGreaterThan(1000);
        }
    }

    @Test
    void autoMeasuresAndSaysWhyItChosePostcopyForAMemoryHeavyGuest() throws Exception {
        hv.add("vm1", 2500); // 2000 Mbit/s at its 80 % share, above B = 1000: beyond the migration barrier
        String id = agent.order("vm1", "auto");

        JsonNode m = agent.awaitState(id, "completed");
        assertThat(m.get("strategy").asText()).isEqualTo("auto");
        assertThat(m.get("strategy_used").asText()).isEqualTo("postcopy");
        assertThat(m.get("reason").asText()).startsWith("auto: postcopy because dirty rate")
                .contains("switched to post-copy");
        assertThat(m.get("downtime_ms").asLong()).isEqualTo(5);
        assertThat(hv.calls).contains("measureDirtyRate vm1", "startPostCopy vm1");
    }

    @Test
    void throttledLowersTheShareRoundByRoundAndPutsTheOriginalBackOnTheDestination() throws Exception {
        hv.add("vm1", 2000);
        String id = agent.order("vm1", "throttled");

        JsonNode m = agent.awaitState(id, "completed");
        assertThat(m.get("rounds").size()).isGreaterThan(3);
        assertThat(m.get("rounds").get(0).get("cpu_share_pct").asDouble()).isCloseTo(40.0, org.assertj.core.api.Assertions.within(0.01)); // Eq. 9: 0.8·1000·80/1600
        assertThat(m.get("reason").asText()).contains("restored on " + Agent.DEST);
        assertThat(hv.dom("vm1").destinationShare).isEqualTo(ScriptedHypervisor.ORIGINAL);
    }

    @Test
    void deleteAbortsTheMigrationAndTheVmKeepsRunningHereWithItsOriginalShare() throws Exception {
        hv.add("vm1", 10_000); // even at the 20 % floor it dirties 2000 Mbit/s > B: never converges
        String id = agent.order("vm1", "throttled");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.migration(id).get("rounds").size() >= 2);
        assertThat(hv.cpuShare("vm1").pct()).isEqualTo(20.0);

        Agent.Reply aborted = agent.send("DELETE", "/v1/migrations/" + id, Agent.SERVICE, null);
        assertThat(aborted.status()).isEqualTo(202);

        JsonNode m = agent.awaitState(id, "aborted");
        assertThat(m.get("error").asText()).contains("aborted by operator request");
        assertThat(hv.isRunningHere("vm1")).isTrue();
        assertThat(hv.cpuShare("vm1")).isEqualTo(ScriptedHypervisor.ORIGINAL);
        assertThat(agent.send("DELETE", "/v1/migrations/" + id, Agent.SERVICE, null).status())
                .as("nothing left to abort").isEqualTo(409);
    }

    @Test
    void aQueuedMigrationIsAbortedBeforeItStartsAndAnotherOrderForABusyDomainIsRefused() throws Exception {
        hv.add("vm1", 10_000);
        hv.add("vm2", 0);
        String first = agent.order("vm1", "precopy");
        String second = agent.order("vm2", "precopy");
        agent.awaitState(first, "running");

        Agent.Reply busy = agent.send("POST", "/v1/migrations", Agent.SERVICE,
                "{\"domain\":\"vm1\",\"destination_uri\":\"" + Agent.DEST + "\"}");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.isProblem()).isTrue();

        Agent.Reply cancelled = agent.send("DELETE", "/v1/migrations/" + second, Agent.SERVICE, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("state").asText()).isEqualTo("aborted");
        assertThat(agent.send("DELETE", "/v1/migrations/" + first, Agent.ADMIN, null).status()).isEqualTo(202);
        agent.awaitState(first, "aborted");
        assertThat(hv.calls).noneMatch(c -> c.startsWith("startMigration vm2"));
        assertThat(hv.isRunningHere("vm2")).isTrue();
    }

    @Test
    void aMigrationInPostCopyCannotBeAborted() throws Exception {
        hv.add("vm1", 2500);
        hv.holdPostCopy = true;
        String id = agent.order("vm1", "postcopy");
        await().atMost(Duration.ofSeconds(20)).until(() -> hv.calls.contains("startPostCopy vm1"));

        Agent.Reply refused = agent.send("DELETE", "/v1/migrations/" + id, Agent.SERVICE, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.body().get("detail").asText()).contains("post-copy");

        hv.holdPostCopy = false;
        agent.awaitState(id, "completed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty body                 | ''                                                                                  | 400 | ''
            malformed JSON             | '{"domain": "vm1",'                                                                 | 400 | ''
            not an object              | '[]'                                                                                | 400 | ''
            downtime as a string       | '{"domain":"vm1","destination_uri":"qemu+tcp://h/system","max_downtime_ms":"300"}'  | 400 | max_downtime_ms
            missing domain             | '{"destination_uri":"qemu+tcp://h/system"}'                                         | 422 | domain
            missing destination        | '{"domain":"vm1"}'                                                                  | 422 | destination_uri
            destination not a URI      | '{"domain":"vm1","destination_uri":"10.77.0.2"}'                                    | 422 | destination_uri
            unknown strategy           | '{"domain":"vm1","destination_uri":"qemu+tcp://h/system","strategy":"fastest"}'     | 422 | strategy
            zero downtime              | '{"domain":"vm1","destination_uri":"qemu+tcp://h/system","max_downtime_ms":0}'      | 422 | max_downtime_ms
            negative bandwidth         | '{"domain":"vm1","destination_uri":"qemu+tcp://h/system","bandwidth_mbps":-5}'      | 422 | bandwidth_mbps
            domain not on this host    | '{"domain":"ghost","destination_uri":"qemu+tcp://h/system"}'                        | 404 | domain
            """)
    void badOrdersAreRefusedNamingTheFieldAndNothingIsStoredOrStarted(String name, String body, int status,
                                                                      String field) throws Exception {
        hv.add("vm1", 0);
        Agent.Reply r = agent.send("POST", "/v1/migrations", Agent.SERVICE, body);

        assertThat(r.status()).isEqualTo(status);
        assertThat(r.isProblem()).as("problem+json: %s", r.text()).isTrue();
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("detail").asText()).isNotBlank();
        if (!field.isEmpty()) {
            assertThat(r.body().get("errors").findValuesAsText("field")).contains(field);
        }
        assertThat(agent.get("/v1/migrations").body()).isEmpty();
        assertThat(hv.started()).isFalse();
    }

    @Test
    void unknownMigrationIs404ProblemForGetAndDelete() throws Exception {
        Agent.Reply get = agent.get("/v1/migrations/nope");
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.isProblem()).isTrue();
        assertThat(agent.send("DELETE", "/v1/migrations/nope", Agent.SERVICE, null).status()).isEqualTo(404);
    }
}
