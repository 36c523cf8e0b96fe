package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: three real bridges (processes of their own) on one real PostgreSQL database
 * ({@code placewise_ha}): a write on one is read on the others (cluster, sample, policy, audit,
 * history), exactly one leads the balancer, and when the leader is killed with SIGKILL in the middle
 * of a plan another one leads within 15 s and finishes the plan with every migration ordered exactly
 * once (WireMock agents count {@code POST /v1/migrations}); the killed one comes back as a standby; a
 * leader whose database session is cut off steps down and another one leads. Runs in the
 * {@code postgres} profile.
 */
@Tag("postgres")
class PostgresFailoverTest {
    static final String URL = env("PLACEWISE_TEST_PG_HA_URL", "jdbc:postgresql://127.0.0.1:5432/placewise_ha");
    static final Duration FAILOVER = Duration.ofSeconds(15);
    /** The target is 1 s; awaits are generous (a loaded machine), the measured times are printed. */
    static final Duration SHARED = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    AgentFarm agents;
    final List<BridgeProcess> bridges = new ArrayList<>();

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        agents = new AgentFarm();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (BridgeProcess b : bridges) {
            b.close();
        }
        agents.close();
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection(URL, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD);
    }

    /** Three bridges with the balancer enabled (periodic audits too rare to run here) and the WireMock agents. */
    private void startThree() throws Exception {
        String balancer = """
                [balancer]
                enabled = true
                interval_s = 3600
                auto_execute = false
                migrator_url_template = %s
                migrator_token = agent-secret
                poll_interval_ms = 100
                max_parallel_per_host = 1
                max_parallel = 1
                max_moves_per_hour = 0
                vm_cooldown_s = 0
                agent_unreachable_grace_s = 60
                """.formatted(agents.urlTemplate());
        // The first one creates the schema alone; the other two start beside each other.
        bridges.add(new BridgeProcess(dir, "bridge-a", URL, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD, balancer)
                .start());
        List<Thread> starting = new ArrayList<>();
        List<Exception> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String name : List.of("bridge-b", "bridge-c")) {
            BridgeProcess b = new BridgeProcess(dir, name, URL, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD, balancer);
            bridges.add(b);
            Thread t = new Thread(() -> {
                try {
                    b.start();
                } catch (Exception e) {
                    failed.add(e);
                }
            });
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            t.join();
        }
        assertThat(failed).isEmpty();
    }

    private List<BridgeProcess> leaders() {
        return bridges.stream().filter(b -> "leader".equals(b.role())).toList();
    }

    /** Waits until {@code check} holds on {@code b}; returns how long it took. */
    private static long msUntil(BridgeProcess b, Check check) {
        long t0 = System.nanoTime();
        await().atMost(SHARED).pollInterval(Duration.ofMillis(20)).until(() -> check.holds(b));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    interface Check {
        boolean holds(BridgeProcess b) throws Exception;
    }

    @Test
    void aWriteOnOneBridgeIsReadOnTheOthers() throws Exception {
        startThree();
        BridgeProcess a = bridges.get(0);
        BridgeProcess b = bridges.get(1);
        BridgeProcess c = bridges.get(2);
        await().atMost(FAILOVER).until(() -> leaders().size() == 1);
        Map<String, Long> ms = new TreeMap<>();

        // PUT /v1/cluster on a: b and c serve it from their own snapshots (GET and a placement decision).
        assertThat(a.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000()).status()).isEqualTo(200);
        for (BridgeProcess other : List.of(b, c)) {
            ms.put("cluster PUT -> " + other.name, msUntil(other, x -> x.read("/v1/cluster").get("vms").size() == 32));
            Bridge.Reply select = other.send("POST", "/v1/select", Bridge.SERVICE,
                    "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 256}}}");
            assertThat(select.status()).isEqualTo(200);
            assertThat(select.body().get("selected").get(0).asText()).startsWith("node");
        }

        // A profiler sample on b (a new host registering itself): a and c have the host and its sample.
        String sample = "{\"at\": \"" + Instant.now() + "\", \"capacity\": {\"vcpus\": 16, \"memory_mb\": 32768, \"disk_gb\": 100, "
                + "\"nic_mbps\": 1000}, \"cpu_util\": 0.42, \"vms\": [{\"id\": \"late1\", \"vcpus\": 2, \"memory_mb\": 2048, "
                + "\"cpu_util\": 0.2, \"workload\": \"cpu\"}]}";
        assertThat(b.send("POST", "/v1/hosts/node9/samples", Bridge.SERVICE, sample).status()).isEqualTo(202);
        for (BridgeProcess other : List.of(a, c)) {
            ms.put("sample -> " + other.name, msUntil(other, x -> {
                Bridge.Reply h = x.send("GET", "/v1/hosts/node9", Bridge.READER, null);
                return h.status() == 200 && h.body().get("samples").size() == 1
                        && h.body().get("cpu_util").asDouble() == 0.42;
            }));
            assertThat(other.read("/v1/cluster").get("vms").size()).isEqualTo(33);
        }

        // A policy PATCH on c: a and b apply it.
        assertThat(c.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 7.5}").status()).isEqualTo(200);
        for (BridgeProcess other : List.of(a, b)) {
            ms.put("policy PATCH -> " + other.name, msUntil(other,
                    x -> x.read("/v1/policies/BalanceWeigher").get("multiplier").asDouble() == 7.5));
        }

        // An audit on a is listed by b and c.
        Bridge.Reply audit = a.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": true}");
        assertThat(audit.status()).isEqualTo(201);
        String id = audit.body().get("id").asText();
        for (BridgeProcess other : List.of(b, c)) {
            ms.put("audit -> " + other.name, msUntil(other, x -> x.send("GET", "/v1/audits/" + id, Bridge.READER, null)
                    .status() == 200));
        }
        System.out.println("shared state, ms until read on the other bridge: " + ms);
        assertThat(leaders()).hasSize(1);
    }

    @Test
    void killingTheLeaderMidPlanHandsThePlanToAnotherOneWithEveryMigrationOrderedOnce() throws Exception {
        startThree();
        await().atMost(FAILOVER).until(() -> leaders().size() == 1);
        BridgeProcess leader = leaders().get(0);
        List<BridgeProcess> standbys = bridges.stream().filter(x -> x != leader).toList();
        assertThat(standbys).allSatisfy(s -> assertThat(s.role()).isEqualTo("standby"));
        assertThat(leader.send("GET", "/metrics", null, null).text()).contains("placewise_balancer_leader 1.0");
        assertThat(standbys.get(0).send("GET", "/metrics", null, null).text()).contains("placewise_balancer_leader 0.0");

        // Executed through a standby: it stores the plan, the leader takes it up and orders one step at a time.
        BridgeProcess entry = standbys.get(0);
        assertThat(entry.admin("PUT", "/v1/cluster", BalancerEndToEndTest.seed000()).status()).isEqualTo(200);
        Bridge.Reply audit = entry.admin("POST", "/v1/audits", "{\"goal\": \"balance\", \"dry_run\": false}");
        assertThat(audit.status()).isEqualTo(201);
        String id = audit.body().get("id").asText();
        List<String> planned = new ArrayList<>();
        audit.body().get("plan").forEach(p -> planned.add(p.get("vm").asText()));
        assertThat(planned).hasSizeGreaterThanOrEqualTo(2);

        // Mid-plan: the first migration is running on its agent (its handle stored), the others wait.
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.orders().size() == 1 && remoteIdStored(id, planned.get(0)));
        assertThat(agents.orders().get(0).vm()).isEqualTo(planned.get(0));
        leader.kill9();
        Instant killed = Instant.now();
        agents.allComplete();

        await().atMost(FAILOVER).pollInterval(Duration.ofMillis(100)).until(() -> leaders().size() == 1);
        long takeoverMs = Duration.between(killed, Instant.now()).toMillis();
        BridgeProcess next = leaders().get(0);
        assertThat(next).isNotSameAs(leader);
        System.out.printf("failover: %s killed with SIGKILL, %s leads %d ms later%n", leader.name, next.name, takeoverMs);

        await().atMost(Duration.ofSeconds(60)).until(() -> !next.read("/v1/audits/" + id).get("execution").get("state")
                .asText().equals("running"));
        JsonNode execution = next.read("/v1/audits/" + id).get("execution");
        assertThat(execution.get("state").asText()).isEqualTo("completed");
        Map<String, Long> ordersPerVm = agents.orders().stream()
                .collect(Collectors.groupingBy(AgentFarm.Order::vm, TreeMap::new, Collectors.counting()));
        System.out.println("orders per VM after the failover: " + ordersPerVm);
        assertThat(ordersPerVm.keySet()).containsExactlyInAnyOrderElementsOf(planned);
        assertThat(ordersPerVm.values()).allMatch(n -> n == 1);

        // Every bridge has the moves and their history records.
        BridgeProcess other = standbys.stream().filter(x -> x != next).findFirst().orElseThrow();
        for (BridgeProcess b : List.of(next, other)) {
            await().atMost(SHARED).until(() -> b.read("/v1/history").size() == planned.size());
            JsonNode vms = b.read("/v1/cluster").get("vms");
            Map<String, String> hostOf = new TreeMap<>();
            vms.forEach(v -> hostOf.put(v.get("id").asText(), v.get("host").asText()));
            audit.body().get("plan").forEach(p -> assertThat(hostOf.get(p.get("vm").asText()))
                    .as(b.name + ": " + p.get("vm").asText()).isEqualTo(p.get("destination").asText()));
        }

        // The killed bridge comes back as a standby.
        leader.start();
        Thread.sleep(3000);
        assertThat(leader.role()).isEqualTo("standby");
        assertThat(leaders()).containsExactly(next);
        assertThat(leader.read("/v1/history")).hasSize(planned.size());
    }

    @Test
    void aLeaderCutOffFromTheDatabaseStepsDownAndAnotherOneLeads() throws Exception {
        startThree();
        await().atMost(FAILOVER).until(() -> leaders().size() == 1);
        BridgeProcess leader = leaders().get(0);
        // The server ends the leader's lock session, as it does when the network to it is lost.
        int ended;
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l "
                     + "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                     + "(SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            ended = rs.getInt(1);
        }
        assertThat(ended).isEqualTo(1);
        Instant cut = Instant.now();
        await().atMost(FAILOVER).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<BridgeProcess> now = leaders();
            return now.size() == 1 && leader.logText().contains("stepping down");
        });
        System.out.printf("session cut: %s stepped down, %s leads %d ms later%n", leader.name, leaders().get(0).name,
                Duration.between(cut, Instant.now()).toMillis());
        // Still exactly one a little later.
        Thread.sleep(3000);
        assertThat(leaders()).hasSize(1);
        assertThat(bridges.stream().map(BridgeProcess::role).filter("standby"::equals).count()).isEqualTo(2);
    }

    @Test
    void aLeaderWhoseNetworkToTheDatabaseFailsSilentlyIsReplacedWithin15Seconds() throws Exception {
        java.net.URI pg = java.net.URI.create(URL.substring("jdbc:".length()));
        try (SilentLink link = new SilentLink(pg.getHost(), pg.getPort() < 0 ? 5432 : pg.getPort())) {
            String viaLink = "jdbc:postgresql://127.0.0.1:" + link.port() + pg.getPath();
            String balancer = "[balancer]\nenabled = true\ninterval_s = 3600\n";
            BridgeProcess a = new BridgeProcess(dir, "bridge-a", viaLink, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD,
                    balancer).start();
            bridges.add(a);
            await().atMost(FAILOVER).until(() -> "leader".equals(a.role()));
            List<BridgeProcess> others = new ArrayList<>();
            for (String name : List.of("bridge-b", "bridge-c")) {
                BridgeProcess b = new BridgeProcess(dir, name, URL, PostgresStorageTest.USER, PostgresStorageTest.PASSWORD, balancer)
                        .start();
                bridges.add(b);
                others.add(b);
            }
            assertThat(others).allSatisfy(b -> assertThat(b.role()).isEqualTo("standby"));

            link.cut();
            Instant cut = Instant.now();
            await().atMost(FAILOVER).pollInterval(Duration.ofMillis(200))
                    .until(() -> others.stream().filter(b -> "leader".equals(b.role())).count() == 1);
            long takeoverMs = Duration.between(cut, Instant.now()).toMillis();
            assertThat(a.logText()).as("the cut-off leader stepped down before another one led").contains("stepping down");
            BridgeProcess next = others.stream().filter(b -> "leader".equals(b.role())).findFirst().orElseThrow();
            System.out.printf("network cut silently: %s stepped down, %s leads %d ms later%n", a.name, next.name, takeoverMs);

            // The network comes back: the old leader reconnects as a standby.
            link.restore();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> "standby".equals(a.role()));
            assertThat(others.stream().filter(b -> "leader".equals(b.role())).toList()).containsExactly(next);
        }
    }

    /** The stored step of {@code vm} in audit {@code id} has the agent's handle. */
    private static boolean remoteIdStored(String id, String vm) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM balancer_migration WHERE audit_id = ? AND vm = ? AND remote_id IS NOT NULL")) {
            ps.setString(1, id);
            ps.setString(2, vm);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }
}
