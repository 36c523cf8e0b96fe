package io.placewise.bridge.migration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.placewise.balancer.execution.MigrationExecutor.ExecutorException;
import io.placewise.balancer.execution.MigrationExecutor.Order;
import io.placewise.balancer.execution.MigrationExecutor.RemoteState;
import io.placewise.precopy.MigrationStrategy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent executor against WireMock shaped as the migrator agent's API (API.md "Migrator agent";
 * the agent's MigrationsResource): what it sends, and which failures are worth asking again.
 */
class MigratorAgentExecutorTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final Order ORDER = new Order("vm 1", "pm1", "pm2", MigrationStrategy.AUTO, true);

    MigratorAgentExecutor executor() {
        return new MigratorAgentExecutor(wm.baseUrl() + "/{host}", "svc-token", "qemu+tcp://{host}/system",
                Duration.ofMillis(250), Duration.ofSeconds(90));
    }

    @Test
    void anOrderCarriesTheDomainTheDestinationTheStrategyAndWhetherTheGuestMayBeSlowed() throws Exception {
        wm.stubFor(post("/pm1/v1/migrations").willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"m-7\", \"state\": \"queued\"}")));

        assertThat(executor().start(ORDER)).isEqualTo("m-7");
        wm.verify(postRequestedFor(urlEqualTo("/pm1/v1/migrations")).withHeader("X-Auth-Token", equalTo("svc-token"))
                .withRequestBody(equalToJson("{\"domain\": \"vm 1\", \"destination_uri\": \"qemu+tcp://pm2/system\", "
                        + "\"strategy\": \"auto\", \"guest_tolerates_slowing\": true}")));
    }

    @Test
    void theAgentsStatesAndResultAreRead() throws Exception {
        wm.stubFor(get("/pm1/v1/migrations/m-7").willReturn(okJson("{\"state\": \"failed\", \"strategy_used\": \"postcopy\", "
                + "\"rounds\": [], \"error\": \"destination refused\"}")));
        var s = executor().status(ORDER, "m-7");
        assertThat(s.state()).isEqualTo(RemoteState.FAILED);
        assertThat(s.error()).isEqualTo("destination refused");
        assertThat(s.result()).containsEntry("strategy_used", "postcopy");
    }

    @Test
    void noAnswerOrA5xxIsWorthAskingAgainA4xxIsNot() {
        wm.stubFor(get("/pm1/v1/migrations/gone").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(get("/pm1/v1/migrations/busy").willReturn(aResponse().withStatus(503)));
        wm.stubFor(get("/pm1/v1/migrations/nope").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\": 404, \"detail\": \"no migration 'nope'\"}")));
        assertThatThrownBy(() -> executor().status(ORDER, "gone"))
                .satisfies(e -> assertThat(((ExecutorException) e).transientFailure()).isTrue());
        assertThatThrownBy(() -> executor().status(ORDER, "busy"))
                .satisfies(e -> assertThat(((ExecutorException) e).transientFailure()).isTrue());
        assertThatThrownBy(() -> executor().status(ORDER, "nope")).hasMessageContaining("404: no migration 'nope'")
                .satisfies(e -> assertThat(((ExecutorException) e).transientFailure()).isFalse());
    }

    @Test
    void abortIsADeleteAnd409MeansItCannotBeStoppedNow() throws Exception {
        wm.stubFor(delete("/pm1/v1/migrations/m-7").willReturn(aResponse().withStatus(202)));
        wm.stubFor(delete("/pm1/v1/migrations/m-8").willReturn(aResponse().withStatus(409)
                .withBody("{\"detail\": \"migration m-8 is in post-copy\"}")));
        assertThat(executor().abort(ORDER, "m-7")).isTrue();
        assertThat(executor().abort(ORDER, "m-8")).isFalse();
    }

    @Test
    void afterARestartTheOrderIsFoundAmongTheAgentsMigrations() throws Exception {
        wm.stubFor(get("/pm1/v1/migrations").willReturn(okJson("""
                [{"id": "new", "domain": "vm 1", "destination_uri": "qemu+tcp://pm2/system", "created_at": "2026-11-22T10:00:05Z"},
                 {"id": "other", "domain": "vm 2", "destination_uri": "qemu+tcp://pm2/system", "created_at": "2026-11-22T10:00:06Z"},
                 {"id": "old", "domain": "vm 1", "destination_uri": "qemu+tcp://pm2/system", "created_at": "2026-11-22T09:00:00Z"}]""")));
        assertThat(executor().find(ORDER, Instant.parse("2026-11-22T10:00:00Z"))).contains("new");
        assertThat(executor().find(ORDER, Instant.parse("2026-11-22T10:01:00Z"))).isEmpty();
    }

    @Test
    void theBalloonCallSetsTheTargetAndReadsWhatTheAgentReports() throws Exception {
        // The agent's answer: the target it set, the guest's current memory on its way there, the maximum.
        wm.stubFor(post("/pm1/v1/domains/vm%201/memory").willReturn(okJson(
                "{\"domain\": \"vm 1\", \"target_mb\": 2048, \"current_mb\": 2000, \"max_mb\": 4096}")));
        assertThat(executor().growMemory("vm 1", "pm1", 2048)).isEqualTo(2048);
        wm.verify(postRequestedFor(urlEqualTo("/pm1/v1/domains/vm%201/memory")).withRequestBody(equalToJson("{\"target_mb\": 2048}")));
        assertThat(executor().pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(executor().migrationTimeout()).isEqualTo(Duration.ofSeconds(90));
    }
}
