package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.bridge.config.ConfigLoader;
import io.placewise.service.testing.JsonHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on two real libvirt hosts (issue 11 item 8, tests/lab, LAB.md): the real bridge
 * (the shipped placewise.conf with the periodic balancer on, {@code auto_execute = true},
 * {@code executor = migrator}) and one real migrator agent per lab host (the shipped
 * placewise-migrator.conf), each a process of its host ({@code tests/lab/in-host.sh}) whose
 * profiler reports its own host's CPU ({@code cpu_cgroup}) to the bridge. No test code sends the
 * bridge a sample, a cluster or an audit: the hosts and VMs register through the agents' samples.
 * <ol>
 * <li>Two CPU-bound guests (memwriter unthrottled over a 4 MiB working set: a busy vCPU each) on
 * labA, nothing on labB: the periodic balancer detects the overload after {@code trigger_after}
 * evaluations and relieves labA by itself with a real live migration through labA's agent; the VM
 * runs on labB (its shut-off definition gone from labA), its memory checks clean, the history
 * record is written, and the bridge's view shows the VM and its load on labB.</li>
 * <li>No ping-pong: an operator moves the other guest to labB by hand, so labB carries both and labA
 * idles. The one guest that may be moved back is the one the balancer did not move: it relieves
 * labB with that guest, never with the VM it moved (within {@code vm_cooldown_s}), and then leaves
 * the cluster alone for several more evaluations.</li>
 * </ol>
 * Then three faults, each on a migration the periodic balancer orders by itself (one guest alone on
 * labA, labA's migration network slowed with tc so the move takes ~20 s):
 * <ol start="3">
 * <li>{@code kill -9} of labA's agent mid-migration: the job runs on, the bridge keeps asking, and the
 * restarted agent adopts it ({@code orphaned_jobs = adopt}) or, restarted with {@code abort} while
 * the job throttles the guest, aborts it; either way the bridge's step, its history and its view end as virsh shows the VM on the two
 * hosts, with no job left and the CPU share as before.</li>
 * <li>labB's firewall drops libvirt's and the migration ports mid-migration: the step ends
 * {@code failed} with libvirt's error, the VM runs on labA, no job, labB drops the half-arrived domain.</li>
 * </ol>
 * Run as root: {@code flock /tmp/placewise-lab.lock mvn -Plab -pl tests -am verify
 * -Dtest=LabClosedLoopTest -Dsurefire.failIfNoSpecifiedTests=false}. Timings are printed as
 * {@code closed loop: ...} lines and written to target/lab-closed-loop.txt.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabClosedLoopTest {
    static final int INTERVAL_S = 5;
    static final int TRIGGER_AFTER = 2;
    static final int COOLDOWN_S = 1800;
    static final double THRESHOLD = 0.05;
    /** Evaluations of the periodic balancer watched after the last move. */
    static final int QUIET_EVALUATIONS = 6;
    static final String AGENT_TOKEN = "lab-service";
    static final List<String> GUESTS = List.of("cl1", "cl2");

    @TempDir
    static Path dir;
    static Bridge bridge;
    /** The agent process of each lab host ("A", "B"). */
    static final Map<String, Process> agents = new LinkedHashMap<>();
    static final List<String> results = new ArrayList<>();
    static boolean labUp;

    @BeforeAll
    static void up() throws Exception {
        LabHosts.script("setup.sh");
        LabHosts.script("up.sh");
        labUp = true;
        // Booted before the loop starts, so that their boot is not what the balancer sees.
        for (String g : GUESTS) {
            LabHosts.script("define-guest.sh", g, "4", "-1", "word");
        }
        Path conf = LabHosts.shippedConfig("placewise.conf", Map.of(
                "DEFAULT", Map.of("bind_host", "10.77.0.254", "bind_port", "0",
                        "database_url", "jdbc:h2:file:" + dir.resolve("bridge")),
                "auth", Map.of("admin_tokens", Bridge.ADMIN, "service_tokens", Bridge.SERVICE, "reader_tokens", Bridge.READER),
                // threshold: C_m over 0.05 (the shipped 0.1 less the machine's share): two busy guests on a
                // shared 2-core machine give labA 0.3-0.9 of its CPU, depending on everyone else's load.
                "balancer", Map.ofEntries(Map.entry("enabled", "true"), Map.entry("threshold", "" + THRESHOLD), Map.entry("interval_s", "" + INTERVAL_S),
                        Map.entry("auto_execute", "true"), Map.entry("trigger_after", "" + TRIGGER_AFTER),
                        Map.entry("vm_cooldown_s", "" + COOLDOWN_S), Map.entry("executor", "migrator"),
                        Map.entry("migrator_url_template", "http://{host}:8791"), Map.entry("migrator_token", AGENT_TOKEN),
                        Map.entry("destination_uri", "qemu+tcp://{host}/system"), Map.entry("strategy", "auto"),
                        Map.entry("poll_interval_ms", "500"), Map.entry("migration_timeout_s", "300"))),
                dir.resolve("placewise.conf"));
        bridge = new Bridge(dir, Map.of(), c -> ConfigLoader.load(conf));
        agents.put("A", agent("A", Map.of()));
        agents.put("B", agent("B", Map.of()));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (bridge != null) {
                // What the bridge saw, for a failed run: target/lab-logs/closed-loop-bridge.txt
                StringBuilder seen = new StringBuilder();
                for (String path : List.of("/v1/cluster", "/v1/hosts", "/v1/audits?limit=50", "/v1/migrations", "/v1/history")) {
                    seen.append(path).append('\n').append(bridge.get(path, Bridge.READER).text()).append("\n\n");
                }
                Files.writeString(Path.of("target", "lab-logs", "closed-loop-bridge.txt"), seen);
            }
            agents.values().forEach(LabHosts::stop);
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            if (labUp) {
                LabHosts.script("down.sh");
            }
            results.forEach(System.out::println);
            Files.write(Path.of("target", "lab-closed-loop.txt"), results);
        }
    }

    /**
     * Lab host {@code h}'s agent: the shipped configuration, its host's libvirt, CPU cgroup and both CPUs,
     * with {@code migrator} overriding its {@code [migrator]} section; its database survives a restart.
     */
    static Process agent(String h, Map<String, String> migrator) throws Exception {
        String ip = "A".equals(h) ? "10.77.0.1" : "10.77.0.2";
        Map<String, String> mig = new LinkedHashMap<>(Map.of("poll_interval_ms", "200", "completion_timeout_s_per_gib", "240",
                "dirty_rate_window_s", "1", "max_downtime_ms", "300", "undefine_source", "true"));
        mig.putAll(migrator);
        Path conf = LabHosts.shippedConfig("placewise-migrator.conf", Map.of(
                "DEFAULT", Map.of("bind_host", ip, "bind_port", "8791", "database_url", "jdbc:h2:file:" + dir.resolve("agent" + h)),
                "auth", Map.of("admin_tokens", "lab-admin", "service_tokens", AGENT_TOKEN, "reader_tokens", "lab-reader"),
                "libvirt", Map.of("uri", "qemu+tcp://" + ip + "/system", "cgroup_root", "/sys/fs/cgroup/cpu/lab" + h),
                // LabMigrationTest's settings for a 256 MiB TCG guest, with the shipped no_progress_timeout_s (60):
                // a destination that stops answering is then given up by libvirt's keepalive (~30 s), as in production
                "migrator", mig,
                // The lab host's guests run in its cgroup subtree; it may use both of the machine's cores.
                "profiler", Map.of("bridge_url", "http://10.77.0.254:" + bridge.port(), "bridge_token", Bridge.SERVICE,
                        "host_name", "lab" + h, "interval_s", "2", "cpu_cgroup", "/sys/fs/cgroup/cpuacct/lab" + h,
                        "cpus", "2", "traffic", "off")),
                dir.resolve("agent" + h + ".conf"));
        return LabHosts.agent(h, conf, Path.of("target", "lab-logs").toAbsolutePath().resolve("closed-loop-agent" + h + ".log"));
    }

    @Test
    @Order(1)
    void periodicBalancerRelievesTheOverloadedHostByItselfAndDoesNotMoveTheVmBack() throws Exception {
        Instant agentsStarted = Instant.now();
        // The agents register both hosts and both guests through their samples; labA carries the load.
        // "Seen": the bridge's view first shows the imbalance over the trigger (C_m = (labA - labB) / 2 > threshold).
        await("both guests on labA, labA loaded, labB idle").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode c = cluster();
                    return GUESTS.stream().allMatch(g -> "labA".equals(hostOf(c, g))) && hostCpu(c, "labB") != null
                            && cpu(c, "labA") - cpu(c, "labB") > 2 * THRESHOLD;
                });
        Instant overloadSeen = Instant.now();
        JsonNode before = cluster();
        note("overload in the bridge's view %.1f s after the agents started: labA cpu_util %.2f (%s), labB %.2f; load %s",
                secs(agentsStarted, overloadSeen), cpu(before, "labA"), vmLoads(before), cpu(before, "labB"), loadavg());

        // 1. The periodic balancer moves one guest labA -> labB through labA's agent, by itself.
        JsonNode first = awaitMigrations(1, Duration.ofSeconds(180)).get(0);
        String moved = first.get("vm").asText();
        String other = GUESTS.stream().filter(g -> !g.equals(moved)).findFirst().orElseThrow();
        assertThat(first.get("source").asText()).isEqualTo("labA");
        assertThat(first.get("destination").asText()).isEqualTo("labB");
        assertThat(first.get("state").asText()).as("%s", first).isEqualTo("completed");
        JsonNode audit = bridge.get("/v1/audits/" + first.get("audit_id").asText(), Bridge.READER).body();
        assertThat(audit.get("triggered").asBoolean()).isTrue();
        assertThat(audit.at("/execution/state").asText()).isEqualTo("completed");
        report("first move", overloadSeen, audit, first);

        // The VM runs on labB only, and its memory checked clean across the move.
        assertThat(LabHosts.virsh("-c", LabHosts.URI_B, "domstate", moved).trim()).isEqualTo("running");
        assertThat(LabHosts.virsh("-c", LabHosts.URI_A, "list", "--all", "--name"))
                .as("[migrator] undefine_source: no shut-off definition left on labA").doesNotContain(moved);
        assertGuestHealthy(moved, heartbeats(moved));

        // The history record is written, and the bridge shows the VM and its load on labB.
        assertThat(bridge.get("/v1/history", Bridge.READER).body()).as("history records").isNotEmpty();
        await("the bridge's view follows the move").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonNode c = cluster();
                    return "labB".equals(hostOf(c, moved)) && "labA".equals(hostOf(c, other)) && vmCpu(c, moved) >= THRESHOLD
                            && cpu(c, "labB") >= THRESHOLD && Math.abs(cpu(c, "labA") - cpu(c, "labB")) < cpu(before, "labA") - cpu(before, "labB");
                });
        JsonNode after = cluster();
        note("after the move: labA cpu_util %.2f (%s), labB %.2f (%s)", cpu(after, "labA"), vmLoads(after),
                cpu(after, "labB"), moved);

        // 2. No ping-pong. An operator moves the other guest to labB by hand: labB now carries both.
        // The balancer may relieve labB only with that guest; the VM it moved stays (vm_cooldown_s).
        String out = LabHosts.virsh("-c", LabHosts.URI_A, "migrate", "--live", "--p2p", "--persistent", "--undefinesource",
                other, "qemu+tcp://labB/system");
        assertThat(LabHosts.virsh("-c", LabHosts.URI_B, "domstate", other).trim()).as(out).isEqualTo("running");
        Instant handMove = Instant.now();
        JsonNode second = awaitMigrations(2, Duration.ofSeconds(180)).get(1);
        assertThat(second.get("vm").asText()).as("%s, moved by the balancer %.0f s ago, is in its cooldown (%d s)", moved,
                secs(Instant.parse(first.get("ended_at").asText()), Instant.now()), COOLDOWN_S).isEqualTo(other);
        assertThat(second.get("source").asText()).isEqualTo("labB");
        assertThat(second.get("destination").asText()).isEqualTo("labA");
        assertThat(second.get("state").asText()).as("%s", second).isEqualTo("completed");
        report("after the hand move", handMove, bridge.get("/v1/audits/" + second.get("audit_id").asText(), Bridge.READER).body(),
                second);

        // Then nothing moves for several more evaluations: both VMs are in their cooldown.
        long steps = migrations().size();
        for (int i = 0; i < QUIET_EVALUATIONS; i++) {
            Thread.sleep(INTERVAL_S * 1000L);
            assertThat(migrations()).as("no migration after the second move").hasSize((int) steps);
        }
        assertThat(LabHosts.virsh("-c", LabHosts.URI_B, "domstate", moved).trim()).isEqualTo("running");
        assertThat(LabHosts.virsh("-c", LabHosts.URI_A, "domstate", other).trim()).isEqualTo("running");
        JsonNode end = cluster();
        assertThat(hostOf(end, moved)).isEqualTo("labB");
        assertThat(hostOf(end, other)).isEqualTo("labA");
        for (String g : GUESTS) {
            assertGuestHealthy(g, heartbeats(g));
        }
        note("quiet for %d evaluations (%d s) after the second move; the VM moved first stayed on labB",
                QUIET_EVALUATIONS, QUIET_EVALUATIONS * INTERVAL_S);
    }

    // ---- faults: kill -9 of the source agent, a blocked destination ----------------------------

    /** The migration network out of labA in the fault tests: an idle 256 MiB guest takes ~15 s to move. */
    static final int SLOW_MBIT = 40;

    /**
     * kill -9 of the source agent while the migration the periodic balancer ordered runs; the job runs
     * on unwatched, the bridge keeps asking (within {@code agent_unreachable_grace_s}) instead of failing
     * the step, and the restarted agent (shipped {@code orphaned_jobs = adopt}) adopts the job: the step
     * ends {@code completed} when the VM really runs on labB, its history record is written, no job is
     * left on either host and the bridge's view shows the VM on labB.
     */
    @Test
    @Order(2)
    void killedSourceAgentMidMigrationAdoptsTheJobAndTheBridgeRecordsWhatHappened() throws Exception {
        String vm = "kf1";
        JsonNode step = migrationOrderedByTheBalancer(vm, BUSY_SMALL, SLOW_MBIT, LabClosedLoopTest::tenMibSent);
        Instant killed = kill9("A");
        assertThat(LabHosts.hasJob(LabHosts.URI_A, vm)).as("the libvirt job runs on, unwatched").isTrue();
        assertStepStaysRunning(step.get("id").asText(), Duration.ofSeconds(3));
        agents.put("A", agent("A", Map.of()));
        Instant restarted = Instant.now();

        JsonNode end = awaitStepEnd(step.get("id").asText(), Duration.ofSeconds(180));
        Instant recorded = Instant.now();
        // What really happened: where the VM runs, and no job on either host.
        String onA = LabHosts.state(LabHosts.URI_A, vm);
        String onB = LabHosts.state(LabHosts.URI_B, vm);
        assertThat(LabHosts.hasJob(LabHosts.URI_A, vm)).as("no orphan job on labA").isFalse();
        assertThat(LabHosts.hasJob(LabHosts.URI_B, vm)).as("no job on labB").isFalse();
        note("kill -9 of labA's agent %.1f s into the migration of %s: agent restarted %.1f s after the kill; the step read %s "
                        + "%.1f s after the kill (%s; agent: %s, total %s ms, downtime %s ms); %s on labA, %s on labB; load %s",
                secs(Instant.parse(step.get("started_at").asText()), killed), vm, secs(killed, restarted),
                end.get("state").asText(), secs(killed, recorded), end.path("result").path("reason").asText("-"),
                end.path("result").path("strategy_used").asText("?"), end.path("result").path("total_ms").asText("?"),
                end.path("result").path("downtime_ms").asText("?"), onA, onB, loadavg());

        assertThat(end.get("state").asText()).as("the adopted job completed: %s", end).isEqualTo("completed");
        assertThat(end.path("result").path("reason").asText()).as("%s", end)
                .containsAnyOf("adopted at agent start", "at agent start the job had already ended");
        assertThat(onB).as("the VM runs where the record says").isEqualTo("running");
        assertThat(onA).as("[migrator] undefine_source: nothing left on labA").isEqualTo("absent");
        assertThat(end.get("reconciling").asBoolean()).isFalse();
        JsonNode audit = bridge.get("/v1/audits/" + end.get("audit_id").asText(), Bridge.READER).body();
        assertThat(audit.at("/execution/state").asText()).isEqualTo("completed");
        assertThat(historyOf(vm)).as("the history record of the move").anySatisfy(h -> {
            assertThat(h.get("source").asText()).isEqualTo("labA");
            assertThat(h.get("destination").asText()).isEqualTo("labB");
        });
        awaitInView(vm, "labB");
        assertGuestHealthy(vm, heartbeats(vm));
    }

    /**
     * The destination stops answering mid-migration (labB's firewall drops libvirt's and the migration
     * ports): libvirt gives up on it, the step ends {@code failed} with the agent's error, the VM runs on
     * labA with its CPU share as before, no job is left, labB drops the half-arrived domain, and the
     * bridge's view shows the VM on labA.
     */
    @Test
    @Order(3)
    void blockedDestinationEndsTheStepFailedWithTheVmOnItsSource() throws Exception {
        String vm = "kb1";
        JsonNode step = migrationOrderedByTheBalancer(vm, BUSY_SMALL, SLOW_MBIT, LabClosedLoopTest::tenMibSent);
        LabHosts.blockMigrationsTo("B", "10.77.0.1");
        Instant blocked = Instant.now();
        try {
            JsonNode end = awaitStepEnd(step.get("id").asText(), Duration.ofSeconds(150));
            Instant recorded = Instant.now();
            // Reality at once (the periodic balancer may try again a few evaluations later).
            OnSource now = OnSource.read(vm);
            note("destination blocked %.1f s into the migration of %s: the step read %s %.1f s later (%s; agent: %s); %s",
                    secs(Instant.parse(step.get("started_at").asText()), blocked), vm, end.get("state").asText(),
                    secs(blocked, recorded), end.path("error").asText("-"), end.path("result").path("strategy_used").asText("?"),
                    now);

            assertThat(end.get("state").asText()).as("%s", end).isEqualTo("failed");
            assertThat(end.get("error").asText()).as("a clear error").isNotBlank();
            assertStayedOnItsSource(vm, now, end);
            // labB gives up the half-arrived domain (its own keepalive to labA fails too).
            Instant dropped = awaitGone(LabHosts.URI_B, vm, Duration.ofSeconds(90));
            note("labB dropped the half-arrived %s %.1f s after the block; steps the balancer ordered for %s by then: %d", vm,
                    secs(blocked, dropped), vm, stepsOf(vm).size());
        } finally {
            // The VM first: a second attempt the balancer may have ordered must not complete once unblocked.
            LabHosts.destroyAllGuests();
            LabHosts.unblockMigrationsTo("B");
            LabHosts.fastMigrations("A");
        }
    }

    /**
     * kill -9 of the source agent mid-migration, restarted with {@code orphaned_jobs = abort}: it aborts
     * the job it finds; the step ends {@code aborted}, the VM runs on labA with its CPU share as before,
     * no job is left, nothing is on labB, no history record, and the bridge's view shows it on labA.
     */
    @Test
    @Order(4)
    void killedSourceAgentRestartedWithOrphanedJobsAbortLeavesTheVmOnItsSource() throws Exception {
        String vm = "ka1";
        // A guest that dirties more than the link can carry: the agent's auto throttles its vCPU (it tolerates
        // slowing) and the job cannot converge; it is killed once the throttle holds the vCPU below its share.
        JsonNode step = migrationOrderedByTheBalancer(vm, HEAVY_WRITER, THROTTLE_MBIT, LabClosedLoopTest::throttledOrTenMibSent);
        JsonNode agentSide = agentMigration("A", vm);
        String atKill = LabHosts.cgroupQuota("A", vm);
        Instant killed = kill9("A");
        assertThat(LabHosts.hasJob(LabHosts.URI_A, vm)).as("the libvirt job runs on, unwatched").isTrue();
        agents.put("A", agent("A", Map.of("orphaned_jobs", "abort")));
        Instant restarted = Instant.now();
        try {
            JsonNode end = awaitStepEnd(step.get("id").asText(), Duration.ofSeconds(180));
            Instant recorded = Instant.now();
            OnSource now = OnSource.read(vm);
            // (labB may take a moment to drop the half-arrived domain: awaited below)
            note("kill -9 of labA's agent %.1f s into the migration of %s (%s, vCPU quota %s at the kill, %s before), restarted "
                            + "with orphaned_jobs = abort %.1f s after the kill: the step read %s %.1f s after the kill (%s); %s, %s on labB",
                    secs(Instant.parse(step.get("started_at").asText()), killed), vm, agentSide.path("strategy_used").asText("?"),
                    atKill, quotaBefore.get(vm), secs(killed, restarted), end.get("state").asText(), secs(killed, recorded),
                    end.path("error").asText("-"), now, LabHosts.state(LabHosts.URI_B, vm));
            if ("throttled".equals(agentSide.path("strategy_used").asText())) {
                assertThat(atKill).as("killed while the throttle held the vCPU").isNotEqualTo(quotaBefore.get(vm));
            }

            assertThat(end.get("state").asText()).as("%s", end).isEqualTo("aborted");
            assertThat(end.get("error").asText()).contains("orphaned_jobs = abort");
            awaitGone(LabHosts.URI_B, vm, Duration.ofSeconds(5));
            assertStayedOnItsSource(vm, now, end);
        } finally {
            LabHosts.destroyAllGuests();
            LabHosts.fastMigrations("A");
        }
    }

    static final Map<String, String> quotaBefore = new LinkedHashMap<>();
    static final Map<String, String> libvirtQuotaBefore = new LinkedHashMap<>();
    /** define-guest.sh's MIB RATE MODE: a busy vCPU over a 1 MiB working set (cheap to converge). */
    static final String[] BUSY_SMALL = {"1", "-1", "word"};
    /** memwriter unthrottled over 128 MiB of whole random pages: more than any lab link carries. */
    static final String[] HEAVY_WRITER = {"128", "-1", "page"};
    /** The link of the throttled case: its first pass (the guest's memory) takes ~10 s. */
    static final int THROTTLE_MBIT = 160;

    /**
     * {@code vm} alone in the lab: every other guest destroyed, labA's migration network slowed to
     * {@code mbit}, {@code vm} booted on labA with memwriter's {@code guest} arguments, so the time
     * is mostly the idle memory crossing the slow link. The periodic balancer then orders its move
     * to labB by itself; returns the step once {@code ready} says so of the job. Until then the
     * bridge's view has the VM on labA (the destination's agent reports it migrating in).
     */
    static JsonNode migrationOrderedByTheBalancer(String vm, String[] guest, int mbit, Ready ready) throws Exception {
        LabHosts.destroyAllGuests();
        LabHosts.slowMigrations("A", mbit);
        LabHosts.script("define-guest.sh", vm, guest[0], guest[1], guest[2]);
        quotaBefore.put(vm, LabHosts.cgroupQuota("A", vm));
        libvirtQuotaBefore.put(vm, LabHosts.vcpuQuota(LabHosts.URI_A, vm));
        Instant booted = Instant.now();
        JsonNode[] step = new JsonNode[1];
        await("the periodic balancer orders " + vm + " labA -> labB and the job is under way").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    List<JsonNode> s = stepsOf(vm);
                    if (s.isEmpty()) {
                        return false;
                    }
                    step[0] = s.get(s.size() - 1);
                    String seenOn = hostOf(cluster(), vm);
                    assertThat(seenOn).as("the bridge's view while %s migrates", vm).isIn("labA", null);
                    assertThat(step[0].get("state").asText()).as("%s", step[0]).isIn("queued", "running");
                    return "running".equals(step[0].get("state").asText()) && ready.test(vm);
                });
        assertThat(step[0].get("source").asText()).isEqualTo("labA");
        assertThat(step[0].get("destination").asText()).isEqualTo("labB");
        note("%s: booted on labA (define-guest.sh returned); the periodic balancer's step started %+.1f s from then; ready to "
                        + "fault %.1f s into the job (%.0f MiB sent, link %d Mbit/s)", vm,
                secs(booted, Instant.parse(step[0].get("started_at").asText())),
                secs(Instant.parse(step[0].get("started_at").asText()), Instant.now()),
                LabHosts.processedMib(LabHosts.URI_A, vm), mbit);
        return step[0];
    }

    /** When a running job is far enough along to inject a fault. */
    interface Ready {
        boolean test(String vm) throws Exception;
    }

    static boolean tenMibSent(String vm) throws Exception {
        return LabHosts.processedMib(LabHosts.URI_A, vm) >= 10;
    }

    /** A throttled job once the throttle holds the vCPU below its share; any other once 10 MiB are sent. */
    static boolean throttledOrTenMibSent(String vm) throws Exception {
        JsonNode m = agentMigration("A", vm);
        if (m == null || m.path("strategy_used").isMissingNode() || m.path("strategy_used").isNull()) {
            return false;
        }
        if ("throttled".equals(m.path("strategy_used").asText())) {
            return !LabHosts.cgroupQuota("A", vm).equals(quotaBefore.get(vm));
        }
        return tenMibSent(vm);
    }

    /** Host {@code h}'s agent's newest migration of {@code vm} (its own record: strategy, rounds), or null. */
    static JsonNode agentMigration(String h, String vm) throws Exception {
        JsonHttp.Answer a = JsonHttp.send("http://10.77.0." + ("A".equals(h) ? 1 : 2) + ":8791", "GET", "/v1/migrations",
                "lab-reader", null);
        JsonNode newest = null;
        if (a.status() == 200 && a.json() != null) {
            for (JsonNode m : a.json()) {
                if (vm.equals(m.path("domain").asText())
                        && (newest == null || m.path("created_at").asText().compareTo(newest.path("created_at").asText()) > 0)) {
                    newest = m;
                }
            }
        }
        return newest;
    }

    /** What virsh and the bridge's view say of {@code vm} on labA, read at once. */
    record OnSource(String state, boolean job, String cgroupQuota, String libvirtQuota, String inView) {
        static OnSource read(String vm) throws Exception {
            return new OnSource(LabHosts.state(LabHosts.URI_A, vm), LabHosts.hasJob(LabHosts.URI_A, vm),
                    LabHosts.cgroupQuota("A", vm), LabHosts.vcpuQuota(LabHosts.URI_A, vm), hostOf(cluster(), vm));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s on labA (job: %s), vCPU quota %s (libvirt %s), in the bridge's view on %s; load %s",
                    state, job, cgroupQuota, libvirtQuota, inView, loadavg());
        }
    }

    /**
     * The move did not happen and every record says so: the VM runs on labA with its CPU share as before the
     * migration and no job, the bridge shows it there, the plan failed, no history record, its memory intact.
     */
    static void assertStayedOnItsSource(String vm, OnSource now, JsonNode end) throws Exception {
        assertThat(now.state()).as("the VM runs on its source").isEqualTo("running");
        assertThat(now.job()).as("no job left on labA").isFalse();
        assertThat(now.cgroupQuota()).as("vCPU quota (cgroup) as before").isEqualTo(quotaBefore.get(vm));
        assertThat(now.libvirtQuota()).as("vCPU quota (libvirt) as before").isEqualTo(libvirtQuotaBefore.get(vm));
        assertThat(now.inView()).as("the bridge's view").isEqualTo("labA");
        JsonNode audit = bridge.get("/v1/audits/" + end.get("audit_id").asText(), Bridge.READER).body();
        assertThat(audit.at("/execution/state").asText()).isEqualTo("failed");
        assertThat(historyOf(vm)).as("no history record of a move that did not happen").isEmpty();
        assertGuestHealthy(vm, heartbeats(vm));
    }

    /** SIGKILL of host {@code h}'s agent JVM (in-host.sh execs it: the process is the JVM). */
    static Instant kill9(String h) throws Exception {
        Process p = agents.get(h);
        assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).trim()).isEqualTo("java");
        p.destroyForcibly();
        Instant at = Instant.now();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("agent %s killed", h).isTrue();
        return at;
    }

    /** The step does not end while its agent is silent (within agent_unreachable_grace_s). */
    static void assertStepStaysRunning(String stepId, Duration watch) throws Exception {
        Instant until = Instant.now().plus(watch);
        while (Instant.now().isBefore(until)) {
            JsonNode s = step(stepId);
            assertThat(s.get("state").asText()).as("the bridge keeps asking the silent agent: %s", s).isEqualTo("running");
            Thread.sleep(250);
        }
    }

    static JsonNode step(String id) throws Exception {
        return bridge.get("/v1/migrations/" + id, Bridge.READER).body();
    }

    static JsonNode awaitStepEnd(String id, Duration within) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await("step " + id + " over").atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = step(id);
            return !List.of("queued", "running").contains(last[0].get("state").asText()) && !last[0].get("reconciling").asBoolean();
        });
        return last[0];
    }

    /** The plan steps of {@code vm}, oldest first. */
    static List<JsonNode> stepsOf(String vm) throws Exception {
        return migrations().stream().filter(m -> vm.equals(m.get("vm").asText())).toList();
    }

    static List<JsonNode> historyOf(String vm) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        bridge.get("/v1/history", Bridge.READER).body().forEach(h -> {
            if (vm.equals(h.path("vm").asText())) {
                out.add(h);
            }
        });
        return out;
    }

    static void awaitInView(String vm, String host) {
        await(vm + " on " + host + " in the bridge's view").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> host.equals(hostOf(cluster(), vm)));
    }

    static Instant awaitGone(String uri, String vm, Duration within) {
        await(vm + " gone from " + uri).atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> "absent".equals(LabHosts.state(uri, vm)));
        return Instant.now();
    }

    // ---- the bridge ------------------------------------------------------------------------------

    static JsonNode cluster() throws Exception {
        return bridge.get("/v1/cluster", Bridge.READER).body();
    }

    static List<JsonNode> migrations() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        bridge.get("/v1/migrations", Bridge.READER).body().forEach(out::add);
        out.sort((a, b) -> a.get("created_at").asText().compareTo(b.get("created_at").asText()));
        return out;
    }

    /** The plan steps once there are {@code n} and the n-th is over. */
    static List<JsonNode> awaitMigrations(int n, Duration within) throws Exception {
        await(n + " migration(s) ordered by the periodic balancer and over").atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<JsonNode> m = migrations();
                    return m.size() >= n && List.of("completed", "failed", "aborted", "cancelled", "skipped")
                            .contains(m.get(n - 1).get("state").asText());
                });
        return migrations();
    }

    static String hostOf(JsonNode cluster, String vm) {
        for (JsonNode v : cluster.get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.get("host").asText();
            }
        }
        return null;
    }

    static Double hostCpu(JsonNode cluster, String host) {
        for (JsonNode h : cluster.get("hosts")) {
            if (h.get("name").asText().equals(host)) {
                return h.path("cpu_util").asDouble();
            }
        }
        return null;
    }

    static double cpu(JsonNode cluster, String host) {
        Double c = hostCpu(cluster, host);
        return c == null ? 0 : c;
    }

    static double vmCpu(JsonNode cluster, String vm) {
        for (JsonNode v : cluster.get("vms")) {
            if (v.get("id").asText().equals(vm)) {
                return v.path("cpu_util").asDouble();
            }
        }
        return 0;
    }

    static String vmLoads(JsonNode cluster) {
        StringBuilder s = new StringBuilder();
        for (JsonNode v : cluster.get("vms")) {
            s.append(s.isEmpty() ? "" : ", ").append(v.get("id").asText()).append('@').append(v.get("host").asText())
                    .append(String.format(Locale.ROOT, " %.2f", v.path("cpu_util").asDouble()));
        }
        return s.toString();
    }

    /** Detection (overload seen to the periodic audit), the step's time and the agent's figures. */
    static void report(String what, Instant seen, JsonNode audit, JsonNode step) {
        Instant audited = Instant.parse(audit.get("created_at").asText());
        Instant started = Instant.parse(step.get("started_at").asText());
        Instant ended = Instant.parse(step.get("ended_at").asText());
        JsonNode r = step.path("result");
        note("%s: %s %s -> %s; %s audit (c_m %.2f) %.1f s after the imbalance was in the bridge's view; step ran %.1f s (agent: %s, total %s ms, "
                        + "downtime %s ms, %s MiB); load %s", what, step.get("vm").asText(), step.get("source").asText(),
                step.get("destination").asText(), audit.get("goal").asText(), audit.at("/metrics/c_m").asDouble(),
                secs(seen, audited), secs(started, ended), r.path("strategy_used").asText("?"), r.path("total_ms").asText("?"),
                r.path("downtime_ms").asText("?"), r.path("data_mb").asText("?"), loadavg());
    }

    // ---- the guests ------------------------------------------------------------------------------

    static final Pattern HEARTBEAT = Pattern.compile("MEMWRITER hb .*errors=(\\d+)");

    /** memwriter's heartbeat lines so far, from the console log that follows the guest across hosts. */
    static List<String> heartbeats(String guest) throws Exception {
        List<String> hb = new ArrayList<>();
        for (String line : Files.readAllLines(LabHosts.LAB.resolve("work").resolve(guest + ".console.log"))) {
            if (line.contains("MEMWRITER hb")) {
                hb.add(line);
            }
        }
        return hb;
    }

    /** New heartbeats keep coming (the guest runs), none reports an error, and no corruption line. */
    static void assertGuestHealthy(String guest, List<String> sofar) throws Exception {
        await(guest + " keeps beating").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> heartbeats(guest).size() >= sofar.size() + 3);
        String log = Files.readString(LabHosts.LAB.resolve("work").resolve(guest + ".console.log"));
        assertThat(log).doesNotContain("MEMWRITER CORRUPTION").doesNotContain("MEMWRITER EXITED").doesNotContain("Kernel panic");
        List<String> hb = heartbeats(guest);
        Matcher m = HEARTBEAT.matcher(hb.get(hb.size() - 1));
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).as("%s: %s", guest, hb.get(hb.size() - 1)).isEqualTo("0");
    }

    // ---- notes -------------------------------------------------------------------------------------

    static void note(String format, Object... args) {
        String line = "closed loop: " + String.format(Locale.ROOT, format, args);
        results.add(line);
        System.out.println(line);
    }

    static double secs(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
