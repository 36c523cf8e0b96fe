package io.placewise.bridge.nova;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
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

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.placewise.balancer.execution.MigrationExecutor.ExecutorException;
import io.placewise.balancer.execution.MigrationExecutor.Order;
import io.placewise.balancer.execution.MigrationExecutor.RemoteState;
import io.placewise.balancer.execution.MigrationExecutor.Status;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.precopy.MigrationStrategy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Nova executor against WireMock playing Keystone and Nova (the answers are shaped as Nova's
 * {@code os-migrations} and {@code servers/{id}/migrations} at microversion 2.60): it follows the
 * migration in the list that holds every status, so a migration Nova errors before it starts is seen at
 * once, a vanished one within two polls.
 */
class NovaLiveMigrationExecutorTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SERVER = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
    static final String LIST = "/compute/v2.1/os-migrations?instance_uuid=" + SERVER + "&migration_type=live-migration";
    static final String IN_PROGRESS = "/compute/v2.1/servers/" + SERVER + "/migrations";
    static final Order ORDER = new Order(SERVER, "cmp-001", "cmp-003", MigrationStrategy.AUTO, false);

    NovaLiveMigrationExecutor executor;

    @BeforeEach
    void nova() {
        wm.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok")
                .withHeader("Content-Type", "application/json").withBody("""
                        {"token": {"expires_at": "%s", "catalog": [{"type": "compute", "endpoints": [
                          {"interface": "public", "region_id": "RegionOne", "url": "%s/compute/v2.1"}]}]}}"""
                        .formatted(Instant.now().plus(Duration.ofHours(1)), wm.baseUrl()))));
        NovaConfig c = new NovaConfig(wm.baseUrl() + "/identity", "placewise", "s3cret", "service", "Default", "Default",
                "RegionOne", "public", "2.60", 0.5, 5, 900, 1);
        executor = new NovaLiveMigrationExecutor(new NovaClient(c, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build(), Clock.systemUTC(), Duration.ofMillis(1)));
    }

    /** Nova's {@code os-migrations} list (newest first) with the server's older migration 41 and, when given, ours. */
    static String list(String oursStatus) {
        String older = """
                {"id": 41, "uuid": "0a1b", "instance_uuid": "%s", "status": "error", "migration_type": "live-migration",
                 "source_compute": "cmp-001", "dest_compute": "cmp-002", "created_at": "2026-01-01T10:00:00.000000"}"""
                .formatted(SERVER);
        if (oursStatus == null) {
            return "{\"migrations\": [" + older + "]}";
        }
        return """
                {"migrations": [
                  {"id": 42, "uuid": "12341d4b-346a-40d0-83c6-5f4f6892b650", "instance_uuid": "%s", "status": "%s",
                   "migration_type": "live-migration", "source_compute": "cmp-001", "dest_compute": "cmp-003",
                   "created_at": "2026-11-22T10:00:01.000000"},
                  %s]}""".formatted(SERVER, oursStatus, older);
    }

    static String server(String host, String taskState) {
        return """
                {"server": {"id": "%s", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "%s", "OS-EXT-STS:task_state": %s,
                 "flavor": {"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "extra_specs": {}}}}"""
                .formatted(SERVER, host, taskState == null ? "null" : "\"" + taskState + "\"");
    }

    /** {@code os-migrations} answers these bodies in turn (the first for the list before the order), then the last. */
    void listInTurn(String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            var stub = get(LIST).inScenario("list").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "s" + i)
                    .willReturn(okJson(bodies[i]));
            wm.stubFor(i + 1 < bodies.length ? stub.willSetStateTo("s" + (i + 1)) : stub);
        }
    }

    void accepts() {
        wm.stubFor(post("/compute/v2.1/servers/" + SERVER + "/action").willReturn(aResponse().withStatus(202)));
    }

    @Test
    void startSendsTheHostBlockMigrationAutoAndTheMicroversionAndRemembersTheNewestEarlierMigration() throws Exception {
        accepts();
        wm.stubFor(get(LIST).willReturn(okJson(list(null))));

        String handle = executor.start(ORDER);

        assertThat(handle).isEqualTo("server=" + SERVER + ";after=41");
        wm.verify(1, postRequestedFor(urlEqualTo("/compute/v2.1/servers/" + SERVER + "/action"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.60"))
                .withRequestBody(equalToJson("{\"os-migrateLive\": {\"host\": \"cmp-003\", \"block_migration\": \"auto\"}}")));
    }

    @Test
    void aDestinationPlacewiseKnowsByItsHypervisorHostnameIsSentAsNovasServiceHost() throws Exception {
        accepts();
        wm.stubFor(get(LIST).willReturn(okJson(list(null))));
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson("""
                {"hypervisors": [
                  {"id": "1", "hypervisor_hostname": "cmp-001.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-001"}},
                  {"id": "3", "hypervisor_hostname": "cmp-003.example", "state": "up", "status": "enabled",
                   "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-003"}}]}""")));

        executor.start(new Order(SERVER, "cmp-001.example", "cmp-003.example", MigrationStrategy.AUTO, false));

        wm.verify(1, postRequestedFor(urlEqualTo("/compute/v2.1/servers/" + SERVER + "/action"))
                .withRequestBody(equalToJson("{\"os-migrateLive\": {\"host\": \"cmp-003\", \"block_migration\": \"auto\"}}")));
    }

    @Test
    void followsItsMigrationToCompletedWithNovasProgressCounters() throws Exception {
        accepts();
        listInTurn(list(null), list("running"), list("completed"));
        wm.stubFor(get(IN_PROGRESS).willReturn(okJson("""
                {"migrations": [{"id": 42, "status": "running", "dest_compute": "cmp-003",
                  "memory_total_bytes": 2147483648, "memory_processed_bytes": 1073741824, "memory_remaining_bytes": 1073741824,
                  "disk_total_bytes": 0, "disk_processed_bytes": 0, "disk_remaining_bytes": 0}]}""")));
        String handle = executor.start(ORDER);

        Status running = executor.status(ORDER, handle);
        assertThat(running.state()).isEqualTo(RemoteState.RUNNING);
        assertThat(running.handle()).as("Nova's migration id is kept").isEqualTo("server=" + SERVER + ";migration=42");
        assertThat(running.result()).containsEntry("memory_remaining_bytes", 1073741824L).containsEntry("nova_migration_id", "42");
        Status done = executor.status(ORDER, running.handle());
        assertThat(done.state()).isEqualTo(RemoteState.COMPLETED);
        assertThat(done.error()).isNull();
    }

    /**
     * The conductor's NoValidHost: Nova's API answered 202, then the conductor set the migration to
     * {@code error} before it ever was in progress. The old executor read only the in-progress list and
     * waited for the timeout; the first poll sees it now.
     */
    @Test
    void aMigrationNovaErrorsBeforeItStartsIsFailedAtTheFirstPoll() throws Exception {
        accepts();
        listInTurn(list(null), list("error"));
        wm.stubFor(get(IN_PROGRESS).willReturn(okJson("{\"migrations\": []}")));
        String handle = executor.start(ORDER);

        Status s = executor.status(ORDER, handle);

        assertThat(s.state()).isEqualTo(RemoteState.FAILED);
        assertThat(s.error()).contains("migration 42").contains("'error'").contains("server event list " + SERVER);
    }

    @Test
    void anOlderErroredMigrationOfTheServerIsNotTakenForThisOne() throws Exception {
        accepts();
        wm.stubFor(get(LIST).willReturn(okJson(list(null))));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(okJson(server("cmp-001", "migrating"))));
        String handle = executor.start(ORDER);

        assertThat(executor.status(ORDER, handle).state()).isEqualTo(RemoteState.QUEUED);
        assertThat(executor.status(ORDER, handle).state()).as("still migrating: Nova is slow, not done").isEqualTo(RemoteState.QUEUED);
    }

    @Test
    void noRecordAndAServerThatIsNotMigratingFailsAtTheSecondPoll() throws Exception {
        accepts();
        wm.stubFor(get(LIST).willReturn(okJson(list(null))));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(okJson(server("cmp-001", null))));
        String handle = executor.start(ORDER);

        assertThat(executor.status(ORDER, handle).state()).isEqualTo(RemoteState.QUEUED);
        Status second = executor.status(ORDER, handle);
        assertThat(second.state()).isEqualTo(RemoteState.FAILED);
        assertThat(second.error()).contains("no live migration").contains("not migrating").contains("cmp-001");
    }

    @Test
    void aMigrationThatVanishesFromNovasListFailsWithinTwoPolls() throws Exception {
        accepts();
        listInTurn(list(null), list("running"), list(null));
        wm.stubFor(get(IN_PROGRESS).willReturn(okJson("{\"migrations\": []}")));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(okJson(server("cmp-001", null))));
        String handle = executor.status(ORDER, executor.start(ORDER)).handle();

        assertThat(executor.status(ORDER, handle).state()).isEqualTo(RemoteState.RUNNING);
        Status gone = executor.status(ORDER, handle);
        assertThat(gone.state()).isEqualTo(RemoteState.FAILED);
        assertThat(gone.error()).contains("no longer lists live migration 42");
    }

    @Test
    void aDeletedServerFailsAtOnce() throws Exception {
        accepts();
        listInTurn(list(null), "{\"migrations\": []}");
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance could not be found.\"}}")));
        String handle = executor.start(ORDER);

        Status s = executor.status(ORDER, handle);
        assertThat(s.state()).isEqualTo(RemoteState.FAILED);
        assertThat(s.error()).contains("no longer exists");
    }

    @Test
    void abortDeletesTheMigration() throws Exception {
        wm.stubFor(delete(IN_PROGRESS + "/42").willReturn(aResponse().withStatus(202)));
        assertThat(executor.abort(ORDER, "server=" + SERVER + ";migration=42")).isTrue();
        wm.verify(deleteRequestedFor(urlEqualTo(IN_PROGRESS + "/42")).withHeader("X-OpenStack-Nova-API-Version", equalTo("2.60")));
    }

    @Test
    void whenNovaRefusesTheAbortInItsStatusItIsForcedToComplete() throws Exception {
        wm.stubFor(delete(IN_PROGRESS + "/42").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"badRequest\": {\"code\": 400, \"message\": \"Migration 42 state of instance is post-migrating. "
                        + "Cannot abort live migration while the migration is in this state.\"}}")));
        wm.stubFor(post(IN_PROGRESS + "/42/action").willReturn(aResponse().withStatus(202)));

        assertThat(executor.abort(ORDER, "server=" + SERVER + ";migration=42")).isTrue();
        wm.verify(postRequestedFor(urlEqualTo(IN_PROGRESS + "/42/action")).withRequestBody(equalToJson("{\"force_complete\": null}")));
    }

    @Test
    void whenNovaAllowsNeitherTheAbortSaysSo() throws Exception {
        wm.stubFor(delete(IN_PROGRESS + "/42").willReturn(aResponse().withStatus(400)));
        wm.stubFor(post(IN_PROGRESS + "/42/action").willReturn(aResponse().withStatus(400)));
        assertThat(executor.abort(ORDER, "server=" + SERVER + ";migration=42")).isFalse();
    }

    @Test
    void aConflictIsRefusedAndAnUnreachableNovaIsWorthAskingAgain() {
        wm.stubFor(get(LIST).willReturn(okJson(list(null))));
        wm.stubFor(post("/compute/v2.1/servers/" + SERVER + "/action").willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'os-migrateLive' instance "
                        + SERVER + " while it is in task_state migrating\"}}")));
        assertThatThrownBy(() -> executor.start(ORDER)).isInstanceOf(ExecutorException.class)
                .hasMessageContaining("task_state migrating")
                .satisfies(e -> assertThat(((ExecutorException) e).transientFailure()).isFalse());

        wm.stubFor(get(LIST).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> executor.status(ORDER, "server=" + SERVER + ";migration=42"))
                .isInstanceOf(ExecutorException.class)
                .satisfies(e -> assertThat(((ExecutorException) e).transientFailure()).isTrue());
    }

    @Test
    void afterARestartThatLostTheHandleTheMigrationIsFoundByItsTime() throws Exception {
        wm.stubFor(get(LIST).willReturn(okJson(list("running"))));
        assertThat(executor.find(ORDER, Instant.parse("2026-11-22T09:59:00Z"))).contains("server=" + SERVER + ";migration=42");
        assertThat(executor.find(ORDER, Instant.parse("2026-11-22T10:05:00Z"))).isEmpty();
    }

    @Test
    void theNovaSectionsTimingsAreTheExecutors() {
        assertThat(executor.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(executor.migrationTimeout()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void novaStatusesMapToTheAgentsStates() {
        assertThat(NovaLiveMigrationExecutor.state("accepted")).isEqualTo(RemoteState.QUEUED);
        assertThat(NovaLiveMigrationExecutor.state("preparing")).isEqualTo(RemoteState.QUEUED);
        assertThat(NovaLiveMigrationExecutor.state("running")).isEqualTo(RemoteState.RUNNING);
        assertThat(NovaLiveMigrationExecutor.state("post-migrating")).isEqualTo(RemoteState.RUNNING);
        assertThat(NovaLiveMigrationExecutor.state("completed")).isEqualTo(RemoteState.COMPLETED);
        assertThat(NovaLiveMigrationExecutor.state("error")).isEqualTo(RemoteState.FAILED);
        assertThat(NovaLiveMigrationExecutor.state("failed")).isEqualTo(RemoteState.FAILED);
        assertThat(NovaLiveMigrationExecutor.state("cancelled")).isEqualTo(RemoteState.ABORTED);
    }

    /** A consolidation's freed host with executor = nova: its nova-compute service is disabled, with the reason. */
    @Test
    void aFreedHostsComputeServiceIsDisabledInNovaAndAWokenOneEnabled() {
        NovaClient nova = new NovaClient(new NovaConfig(wm.baseUrl() + "/identity", "placewise", "s3cret", "service", "Default",
                "Default", "RegionOne", "public", "2.60", 0.5, 5, 900, 1), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build(), Clock.systemUTC(), Duration.ofMillis(1));
        wm.stubFor(get("/compute/v2.1/os-services?binary=nova-compute&host=cmp-003").willReturn(okJson("""
                {"services": [{"id": "4c8a-uuid", "binary": "nova-compute", "host": "cmp-003", "status": "enabled",
                  "state": "up", "zone": "nova"}]}""")));
        wm.stubFor(get("/compute/v2.1/os-services?binary=nova-compute&host=cmp-009").willReturn(okJson("{\"services\": []}")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put("/compute/v2.1/os-services/4c8a-uuid")
                .willReturn(okJson("{\"service\": {\"id\": \"4c8a-uuid\"}}")));

        nova.setComputeServiceEnabled("cmp-003", false, "freed by Placewise audit a1 (consolidation)");
        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/compute/v2.1/os-services/4c8a-uuid"))
                .withHeader("X-OpenStack-Nova-API-Version", equalTo("2.60"))
                .withRequestBody(equalToJson("{\"status\": \"disabled\", \"disabled_reason\": \"freed by Placewise audit a1 (consolidation)\"}")));
        nova.setComputeServiceEnabled("cmp-003", true, "woken");
        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/compute/v2.1/os-services/4c8a-uuid"))
                .withRequestBody(equalToJson("{\"status\": \"enabled\"}")));
        assertThatThrownBy(() -> nova.setComputeServiceEnabled("cmp-009", false, "x")).isInstanceOf(NovaApiException.class)
                .hasMessageContaining("no nova-compute service on host cmp-009");
    }
}
