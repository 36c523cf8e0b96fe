package io.placewise.bridge.nova.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.placewise.bridge.nova.notify.NovaSamples.envelope;
import static io.placewise.bridge.nova.notify.NovaSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.bridge.nova.NovaClient;
import io.placewise.bridge.nova.NovaStateApplier;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import io.placewise.service.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nova's own notification samples (Nova 26.2.2's doc/notification_samples) through the handler
 * into a real cluster store on H2: the samples' server {@code 178b0921-…} and host names
 * ({@code compute}, {@code host2}) are Nova's.
 */
class NovaNotificationHandlerTest {
    static final String SERVER = "178b0921-8f85-4257-88b6-2e743b5a975c";
    static final String GROUP = "788608ec-ebdc-45c5-bc7f-e5f24ab92c80";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Database db;
    ClusterStore cluster;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    NovaNotificationHandler handler;

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(), "", "", 2, metrics, "classpath:db/migration/bridge");
        cluster = new ClusterStore(db, 10);
        cluster.replace(new ClusterSnapshot(List.of(host("compute"), host("host2")),
                List.of(new Vm("other", "host2", 1, 512, 1, 0.2, 0.5, 0, 0, WorkloadClass.CPU, Set.of(), null)),
                List.of(), Map.of()));
        handler = new NovaNotificationHandler(new NovaStateApplier(cluster), null, metrics);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    static Host host(String name) {
        return new Host(name, new Capacity(16, 65536, 1000, 10000), 0.1, 0.2, 0, 0, true);
    }

    String handle(ObjectNode message) {
        return handler.handle(envelope(message));
    }

    double count(String event, String outcome) {
        var c = metrics.find(NovaNotificationHandler.METRIC).tags("event", event, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aBootFromNovasSampleAddsTheServerSizedByItsFlavor() {
        assertThat(handle(sample("instance-create-end"))).isEqualTo("applied");

        Vm vm = cluster.current().vm(SERVER);
        assertThat(vm).isNotNull();
        assertThat(vm.host()).isEqualTo("compute");
        assertThat(vm.vcpus()).isEqualTo(1);
        assertThat(vm.memoryMb()).isEqualTo(512);
        assertThat(vm.diskGb()).isEqualTo(1);
        assertThat(count("instance.create.end", "applied")).isEqualTo(1);
        // The same notification again (redelivery) changes nothing.
        assertThat(handle(sample("instance-create-end"))).isEqualTo("unchanged");
    }

    @Test
    void theFlavorsPlacewiseWorkloadSpecNamesTheClass() {
        ObjectNode boot = sample("instance-create-end");
        NovaSamples.flavor(boot).putObject("extra_specs").put("placewise:workload", "disk_io").put("placewise:nonsharable", "disk");
        handle(boot);
        assertThat(cluster.current().vm(SERVER).workload()).isEqualTo(WorkloadClass.DISK_IO);
        assertThat(cluster.current().vm(SERVER).nonsharable()).containsExactly("disk");
    }

    @Test
    void aServerGroupAnnouncedBeforeItsMemberBootsHasTheMemberOnceItArrives() {
        // Nova's API sends server_group.add_member before the server reaches a compute host.
        assertThat(handle(sample("server_group-create"))).isEqualTo("applied");
        assertThat(handle(sample("server_group-add_member", Map.of("members", List.of(SERVER))))).isEqualTo("unchanged");
        assertThat(cluster.current().groupPolicy(GROUP)).contains(GroupPolicy.ANTI_AFFINITY);

        handle(sample("instance-create-end"));

        assertThat(cluster.current().vm(SERVER).group()).isEqualTo(GROUP);
        assertThat(cluster.current().groupMembers(GROUP)).extracting(Vm::id).containsExactly(SERVER);

        assertThat(handle(sample("server_group-delete"))).isEqualTo("applied");
        assertThat(cluster.current().groupPolicy(GROUP)).isEmpty();
        assertThat(cluster.current().vm(SERVER).group()).isNull();
    }

    @Test
    void theEndOfALiveMigrationMovesTheServerAndKeepsWhatPlacewiseMeasured() {
        handle(sample("instance-create-end"));
        cluster.update(s -> s.with(s.hosts(), s.vms().stream().map(v -> v.id().equals(SERVER)
                ? new Vm(v.id(), v.host(), v.vcpus(), v.memoryMb(), v.diskGb(), 0.4, 0.6, 1, 20, v.workload(), v.nonsharable(), null)
                : v).toList(), List.of(new Traffic(SERVER, "other", 120))));

        assertThat(handle(sample("instance-live_migration_post_dest-end"))).isEqualTo("applied");

        Vm vm = cluster.current().vm(SERVER);
        assertThat(vm.host()).isEqualTo("host2");
        assertThat(vm.cpuUtil()).isEqualTo(0.4);
        assertThat(vm.dirtyRateMbps()).isEqualTo(20);
        assertThat(cluster.current().peersOf(SERVER)).containsEntry("other", 120.0);
        // The source's post.end that follows names the source; the server has left it already.
        assertThat(handle(sample("instance-live_migration_post-end"))).isEqualTo("unchanged");
        assertThat(cluster.current().vm(SERVER).host()).isEqualTo("host2");
    }

    @Test
    void withoutPostDestTheSourcesPostEndAsksNovaWhereTheServerWent() {
        String expires = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        wm.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok")
                .withHeader("Content-Type", "application/json").withBody("""
                        {"token": {"expires_at": "%s", "catalog": [{"type": "compute", "endpoints": [
                          {"interface": "public", "region_id": "RegionOne", "url": "%s/compute/v2.1"}]}]}}"""
                        .formatted(expires, wm.baseUrl()))));
        wm.stubFor(get("/compute/v2.1/servers/" + SERVER).willReturn(okJson("""
                {"server": {"id": "%s", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "host2",
                  "flavor": {"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "extra_specs": {}}}}""".formatted(SERVER))));
        NovaClient nova = new NovaClient(new NovaConfig(wm.baseUrl() + "/identity/v3", "placewise", "s3cret", "service",
                "Default", "Default", "RegionOne", "public", "2.60", 1, 5, 3600, 0));
        handler = new NovaNotificationHandler(new NovaStateApplier(cluster), nova, metrics);
        handle(sample("instance-create-end"));

        assertThat(handle(sample("instance-live_migration_post-end"))).isEqualTo("applied");

        assertThat(cluster.current().vm(SERVER).host()).isEqualTo("host2");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/compute/v2.1/servers/" + SERVER)));
    }

    @Test
    void aConfirmedResizeTakesTheNewFlavor() {
        handle(sample("instance-create-end"));
        assertThat(handle(sample("instance-resize_confirm-end"))).isEqualTo("applied");
        assertThat(cluster.current().vm(SERVER).memoryMb()).isEqualTo(2048);
        assertThat(cluster.current().vm(SERVER).diskGb()).isEqualTo(20);
    }

    @Test
    void aDeleteRemovesTheServerAndItsTraffic() {
        handle(sample("instance-create-end"));
        cluster.update(s -> s.with(s.hosts(), s.vms(), List.of(new Traffic("other", SERVER, 50))));

        assertThat(handle(sample("instance-delete-end"))).isEqualTo("applied");

        assertThat(cluster.current().vm(SERVER)).isNull();
        assertThat(cluster.current().traffic()).isEmpty();
        assertThat(cluster.current().vm("other")).isNotNull();
        assertThat(handle(sample("instance-delete-end"))).isEqualTo("unchanged");
    }

    @Test
    void aServerOnAHostTheBridgeDoesNotHaveIsCountedNotInvented() {
        assertThat(handle(sample("instance-create-end", Map.of("host", "cmp-new")))).isEqualTo("unknown_host");
        assertThat(cluster.current().vm(SERVER)).isNull();
        assertThat(cluster.current().host("cmp-new")).isNull();
    }

    @Test
    void malformedMessagesAreCountedAndChangeNothing() {
        ClusterSnapshot before = cluster.current();
        ObjectNode noPayloadData = sample("instance-create-end");
        ((ObjectNode) noPayloadData.get("payload")).remove("nova_object.data");
        ObjectNode badFlavor = sample("instance-create-end");
        NovaSamples.flavor(badFlavor).put("memory_mb", "lots");
        List<byte[]> bad = List.of(
                "not json at all \u001b[31m".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "{\"oslo.version\": \"2.0\", \"oslo.message\": 42}".getBytes(StandardCharsets.UTF_8),
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{truncated\"}".getBytes(StandardCharsets.UTF_8),
                "[1, 2]".getBytes(StandardCharsets.UTF_8),
                envelope(noPayloadData), envelope(badFlavor),
                envelope(sample("server_group-create", Map.of("policy", "spread-out", "policies", List.of()))));
        for (byte[] b : bad) {
            assertThat(handler.handle(b)).as(new String(b, StandardCharsets.UTF_8)).isEqualTo("malformed");
        }
        assertThat(cluster.current()).isEqualTo(before);
        assertThat(metrics.find(NovaNotificationHandler.METRIC).tag("outcome", "malformed").counters()
                .stream().mapToDouble(c -> c.count()).sum()).isEqualTo(bad.size());
        // And the handler still works.
        assertThat(handle(sample("instance-create-end"))).isEqualTo("applied");
    }

    @Test
    void eventsPlacewiseDoesNotFollowAreIgnored() {
        ObjectNode other = sample("instance-create-end");
        other.put("event_type", "instance.power_off.end");
        assertThat(handle(other)).isEqualTo("ignored");
        assertThat(count("other", "ignored")).isEqualTo(1);
    }

    @Test
    void aBareMessageWithoutTheOsloEnvelopeIsReadToo() {
        assertThat(handler.handle(sample("instance-create-end").toString().getBytes(StandardCharsets.UTF_8))).isEqualTo("applied");
    }
}
