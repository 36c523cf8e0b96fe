package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The balloon ({@code POST /v1/domains/{domain}/memory}, seed 004's {@code grow_memory} step) and
 * what {@code GET /v1/stats} says of a VM migrating in, through the real agent over a scripted host.
 */
class DomainsApiTest {
    @TempDir
    Path dir;
    final ScriptedHypervisor hv = new ScriptedHypervisor();
    Agent agent;

    @BeforeEach
    void start() throws Exception {
        agent = new Agent(dir, hv);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    Agent.Reply setMemory(String domain, String body) throws Exception {
        return agent.send("POST", "/v1/domains/" + domain + "/memory", Agent.SERVICE, body);
    }

    @Test
    void growingAVmWithinItsMaximumSetsItsCurrentMemory() throws Exception {
        ScriptedHypervisor.Dom vm = hv.add("vm1", 0);
        vm.memoryMib = 4096;
        vm.currentMib = 2048;

        Agent.Reply r = setMemory("vm1", "{\"target_mb\": 3072}");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("domain").asText()).isEqualTo("vm1");
        assertThat(r.body().get("target_mb").asLong()).isEqualTo(3072);
        assertThat(r.body().get("current_mb").asLong()).isEqualTo(3072);
        assertThat(r.body().get("max_mb").asLong()).isEqualTo(4096);
        assertThat(vm.currentMib).isEqualTo(3072);
        assertThat(setMemory("vm1", "{\"target_mb\": 4096}").status()).as("up to the maximum itself").isEqualTo(200);
    }

    @Test
    void beyondTheMaximumIsA422NamingTheFieldAndNothingChanges() throws Exception {
        ScriptedHypervisor.Dom vm = hv.add("vm1", 0);
        vm.memoryMib = 4096;
        vm.currentMib = 2048;

        Agent.Reply r = setMemory("vm1", "{\"target_mb\": 4097}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("target_mb");
        assertThat(r.body().get("errors").get(0).get("message").asText()).contains("4096");
        assertThat(vm.currentMib).isEqualTo(2048);
        assertThat(hv.calls).noneMatch(c -> c.startsWith("setCurrentMemory"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no body           | ''                       | 400",
            "no target         | {}                       | 422",
            "zero              | {\"target_mb\": 0}       | 422",
            "negative          | {\"target_mb\": -5}      | 422",
            "not a number      | {\"target_mb\": \"lots\"} | 400",
    })
    void badBodiesAreRefusedAndNothingChanges(String name, String body, int status) throws Exception {
        ScriptedHypervisor.Dom vm = hv.add("vm1", 0);
        vm.currentMib = 512;
        Agent.Reply r = agent.send("POST", "/v1/domains/vm1/memory", Agent.SERVICE, body.isEmpty() ? null : body);
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.isProblem()).isTrue();
        assertThat(vm.currentMib).isEqualTo(512);
    }

    @Test
    void anUnknownDomainIsA404NamingIt() throws Exception {
        Agent.Reply r = setMemory("nope", "{\"target_mb\": 512}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.body().get("detail").asText()).contains("'nope'");
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("domain");
    }

    @Test
    void aDomainWithoutABalloonDeviceIsA409WithTheHypervisorsReason() throws Exception {
        ScriptedHypervisor.Dom vm = hv.add("vm1", 0);
        vm.balloonDevice = false;
        vm.currentMib = 512;
        Agent.Reply r = setMemory("vm1", "{\"target_mb\": 768}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("detail").asText()).contains("balloon device");
        assertThat(vm.currentMib).isEqualTo(512);
    }

    @Test
    void aMigratingDomainKeepsItsMemoryUntilTheMigrationIsOver() throws Exception {
        ScriptedHypervisor.Dom vm = hv.add("vm1", 10_000); // pre-copy never converges: it keeps running
        vm.currentMib = 512;
        String id = agent.order("vm1", "precopy");
        agent.awaitState(id, "running");

        Agent.Reply r = setMemory("vm1", "{\"target_mb\": 768}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("detail").asText()).contains(id);
        assertThat(vm.currentMib).isEqualTo(512);
        agent.send("DELETE", "/v1/migrations/" + id, Agent.SERVICE, null);
        agent.awaitState(id, "aborted");
        assertThat(setMemory("vm1", "{\"target_mb\": 768}").status()).isEqualTo(200);
    }

    @Test
    void aVmMigratingInIsReportedAsSuchNotAsThisHostsOwn() throws Exception {
        hv.add("mine", 100);
        hv.add("arriving", 0).migratingIn = true;

        JsonNode stats = agent.get("/v1/stats").body();

        JsonNode arriving = vm(stats, "arriving");
        JsonNode mine = vm(stats, "mine");
        assertThat(arriving.get("migrating_in").asBoolean()).isTrue();
        assertThat(arriving.has("dirty_rate_mbps")).as("no dirty rate of a VM whose pages are still arriving").isFalse();
        assertThat(mine.has("migrating_in")).isFalse();
        assertThat(mine.get("dirty_rate_mbps").asDouble()).isEqualTo(80.0);
    }

    static JsonNode vm(JsonNode stats, String id) {
        for (JsonNode v : stats.get("vms")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        throw new AssertionError("no VM " + id + " in " + stats);
    }
}
