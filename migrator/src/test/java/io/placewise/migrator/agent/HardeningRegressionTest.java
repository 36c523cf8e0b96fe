package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.service.testing.RawHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 9's findings on the agent: each is a problem+json 4xx that orders nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningRegressionTest {
    @TempDir
    static Path dir;
    Agent agent;
    ScriptedHypervisor host;

    @BeforeAll
    void start() throws Exception {
        host = new ScriptedHypervisor();
        host.add("vm1", 0);
        agent = new Agent(dir, host);
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "GET|/v1/migrations/%zz||400",
            "GET|/v1/migrations/%||400",
            "POST|/v1/migrations|{\"domain\": \"vm1\", \"destination_uri\": \"qemu+tcp://d/system\", \"bandwidth_mbps\": 1e400}|400",
            "POST|/v1/migrations|{\"domain\": \"vm1\", \"destination_uri\": \"qemu+tcp://d/system\", \"strategy\": \"teleport\"}|422",
            "POST|/v1/migrations|{\"domain\": \"" + "d" + "\", \"destination_uri\": \"qemu+tcp://d/system\", \"max_downtime_ms\": 0}|422",
            "DELETE|/v1/migrations/x|{}|400"})
    void isRefusedAsAProblemAndOrdersNothing(String method, String path, String body, int status) throws Exception {
        String before = agent.databaseDump();
        RawHttp.Reply r = RawHttp.send(agent.port(), method, path, Agent.SERVICE, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(agent.databaseDump()).isEqualTo(before);
        assertThat(host.calls).noneMatch(c -> c.startsWith("startMigration"));
    }
}
