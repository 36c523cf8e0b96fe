package io.placewise.tests;

import static io.placewise.bridge.nova.notify.NovaSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.bridge.nova.notify.NovaSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nova's versioned notifications on a real RabbitMQ server (Debian's rabbitmq-server), published
 * the way Nova publishes them (Debian's oslo.messaging, messagingv2, exchange {@code nova}) with
 * Nova's own notification samples as payloads, change the real bridge's cluster: VMs are added,
 * moved, resized and removed, server groups defined, malformed messages counted, and the bridge
 * survives a broker restart and its own. Run with {@code mvn -Prabbitmq -pl tests -am verify}.
 */
@Tag("rabbitmq")
class NovaNotificationsRabbitTest {
    static final String SERVER = "178b0921-8f85-4257-88b6-2e743b5a975c"; // the samples' server
    static final String GROUP = "788608ec-ebdc-45c5-bc7f-e5f24ab92c80"; // the samples' server group
    static final String TOPIC = "versioned_notifications";

    @TempDir
    static Path brokerDir;
    static RabbitBroker broker;

    @TempDir
    Path dir;
    Bridge bridge;
    OsloNotifier nova;

    @BeforeAll
    static void startBroker() throws Exception {
        assertThat(RabbitBroker.installed()).as("Debian's rabbitmq-server (apt-get install rabbitmq-server)").isTrue();
        assertThat(OsloNotifier.available()).as("Debian's python3-oslo.messaging").isTrue();
        broker = new RabbitBroker(brokerDir);
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        String url = broker.url("guest", "guest");
        bridge = new Bridge(dir, Map.of(), c -> c.withNova(NovaConfig.unconfigured().withNotifications(url, "placewise-" + dir.hashCode())));
        assertThat(bridge.admin("PUT", "/v1/cluster", """
                {"hosts": [{"name": "compute", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000, "nic_mbps": 10000}},
                           {"name": "host2", "capacity": {"vcpus": 16, "memory_mb": 65536, "disk_gb": 1000, "nic_mbps": 10000}}],
                 "vms": [{"id": "peer", "host": "host2", "vcpus": 1, "memory_mb": 512, "cpu_util": 0.1}]}""").status()).isEqualTo(200);
        awaitConnected(true);
        nova = new OsloNotifier(url, TOPIC, dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (nova != null) {
            nova.close();
        }
        bridge.close();
    }

    void awaitConnected(boolean up) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                metric("placewise_nova_notifications_connected") == (up ? 1.0 : 0.0));
    }

    double metric(String nameAndLabels) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " ([0-9.eE+-]+)$")
                .matcher(bridge.get("/metrics", null).text());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    JsonNode vm(String id) throws Exception {
        for (JsonNode v : bridge.get("/v1/cluster", Bridge.READER).body().get("vms")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        return null;
    }

    void awaitVm(String id, java.util.function.Predicate<JsonNode> state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode v = vm(id);
            return state.test(v);
        });
    }

    /** Raw bytes on Nova's exchange, as a broken or foreign publisher might send them. */
    void publishRaw(String... bodies) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(broker.port());
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            for (String b : bodies) {
                ch.basicPublish("nova", TOPIC + ".info", null, b.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void novasNotificationsAddMoveResizeAndRemoveVmsInTheBridge() throws Exception {
        // Nova's API: the group is created and the server joins it before it is scheduled.
        nova.publish(sample("server_group-create"));
        nova.publish(sample("server_group-add_member", Map.of("members", List.of(SERVER))));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                bridge.get("/v1/cluster", Bridge.READER).body().get("groups").toString().contains(GROUP));

        // nova-compute: the server booted on 'compute'.
        ObjectNode boot = sample("instance-create-end");
        NovaSamples.flavor(boot).putObject("extra_specs").put("placewise:workload", "disk_io");
        long t0 = System.nanoTime();
        nova.publish(boot);
        awaitVm(SERVER, v -> v != null);
        double bootMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf("notification-to-cluster latency of a boot: %.0f ms (publish returned to visible in GET /v1/cluster)%n", bootMs);
        JsonNode vm = vm(SERVER);
        assertThat(vm.get("host").asText()).isEqualTo("compute");
        assertThat(vm.get("vcpus").asInt()).isEqualTo(1);
        assertThat(vm.get("memory_mb").asLong()).isEqualTo(512);
        assertThat(vm.get("workload").asText()).isEqualTo("disk_io");
        assertThat(vm.get("group").asText()).isEqualTo(GROUP);
        JsonNode group = bridge.get("/v1/cluster", Bridge.READER).body().get("groups").get(0);
        assertThat(group.get("policy").asText()).isEqualTo("anti-affinity");
        assertThat(group.get("members")).extracting(JsonNode::asText).containsExactly(SERVER);
        // Placement sees it at once: a second disk-bound VM does not join it on 'compute'.
        Bridge.Reply r = bridge.select("""
                {"spec": {"flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"placewise:workload": "disk_io"}}}}""");
        assertThat(r.body().get("selected")).extracting(JsonNode::asText).containsExactly("host2");

        // The live migration to host2 ends (destination first, then the source's post.end).
        nova.publish(sample("instance-live_migration_post_dest-end"));
        awaitVm(SERVER, v -> v != null && v.get("host").asText().equals("host2"));
        nova.publish(sample("instance-live_migration_post-end"));

        // The resize to m1.small is confirmed.
        nova.publish(sample("instance-resize_confirm-end", Map.of("host", "host2")));
        awaitVm(SERVER, v -> v != null && v.get("memory_mb").asLong() == 2048);
        assertThat(vm(SERVER).get("host").asText()).isEqualTo("host2");
        assertThat(vm(SERVER).get("disk_gb").asLong()).isEqualTo(20);

        // Garbage on the bus is counted and does not stop the listener.
        publishRaw("this is not JSON \u001b[2J", "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"event_type\\\": "
                + "\\\"instance.create.end\\\", \\\"payload\\\": {}}\"}", "");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                metric("placewise_nova_notifications_total{event=\"other\",outcome=\"malformed\"}")
                        + metric("placewise_nova_notifications_total{event=\"instance.create.end\",outcome=\"malformed\"}") == 3);

        // The server is deleted.
        nova.publish(sample("instance-delete-end", Map.of("host", "host2")));
        awaitVm(SERVER, v -> v == null);
        assertThat(vm("peer")).as("other VMs stay").isNotNull();
        assertThat(metric("placewise_nova_notifications_total{event=\"instance.create.end\",outcome=\"applied\"}")).isEqualTo(1);
        assertThat(metric("placewise_nova_notifications_total{event=\"instance.delete.end\",outcome=\"applied\"}")).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("oslo_notify.err"))).doesNotContain("Traceback");
    }

    @Test
    void theBridgeReconnectsAfterABrokerRestartAndCatchesUpAfterItsOwn() throws Exception {
        broker.stop();
        awaitConnected(false);
        broker.start();
        awaitConnected(true); // the client's automatic recovery, queue and binding declared again

        nova.publish(sample("instance-create-end", Map.of("uuid", "after-broker-restart")));
        awaitVm("after-broker-restart", v -> v != null && v.get("host").asText().equals("compute"));

        // The bridge is down while Nova boots a server: the pool's queue keeps the notification.
        bridge.restart(() -> nova.publish(sample("instance-create-end", Map.of("uuid", "while-bridge-down", "host", "host2"))));
        awaitVm("while-bridge-down", v -> v != null && v.get("host").asText().equals("host2"));
        assertThat(vm("after-broker-restart")).as("and what it had before, from its database").isNotNull();
    }
}
