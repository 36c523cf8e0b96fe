package io.placewise.migrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.agent.store.JdbcRestoreLog;
import io.placewise.service.store.Database;
import io.placewise.service.testing.ChildJvm;
import io.placewise.service.testing.Launcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 on the agent: every migration order answered 202 and every CPU-share restore entry
 * recorded is still there after {@code kill -9} and a restart. The agent runs as its own process
 * (bin/placewise-migrator's main class) on libvirt's test driver with eight running domains; the
 * restore log is written by a process of its own through the agent's store ({@link RestoreLogWriter}).
 * Ten rounds each.
 */
class CrashDurabilityTest {
    static final int ROUNDS = 10;
    /** Eight writers, each cycling through its own domains (one migration per domain at a time). */
    static final int DOMAINS = 48;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMigrationOrderSurvivesKillMinus9() throws Exception {
        int port = ChildJvm.freePort();
        Path node = dir.resolve("node.xml");
        StringBuilder xml = new StringBuilder("<node><cpu><mhz>2000</mhz><model>x86_64</model><active>4</active>"
                + "<nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu><memory>16777216</memory>");
        for (int i = 1; i <= DOMAINS; i++) {
            xml.append("<domain type='test'><name>vm").append(i).append("</name><memory>262144</memory><vcpu>1</vcpu>")
                    .append("<os><type>hvm</type></os></domain>");
        }
        Files.writeString(node, xml.append("</node>").toString());
        Path conf = Launcher.config(dir, "placewise-migrator.conf", port, "crash",
                "jdbc:h2:file:" + dir.resolve("agent").toAbsolutePath(),
                "[libvirt]\nuri = test://" + node.toAbsolutePath() + "\n[migrator]\ndirty_rate_window_s = 1\n"
                        + "[profiler]\nhost_name = node1\n");
        Path log = dir.resolve("agent.log");
        Random random = new Random(9);
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ConcurrentHashMap<String, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> lost = new ArrayList<>();
        Process agent = start(log, conf, port);
        long total = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int before = acked.size();
            AtomicBoolean stop = new AtomicBoolean();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int first = w * (DOMAINS / 8) + 1;
                writers.add(Launcher.writer(stop, () -> {
                    for (int d = first; d < first + DOMAINS / 8; d++) {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/v1/migrations"))
                                .timeout(Duration.ofSeconds(20)).header("X-Auth-Token", "crash-service")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"domain\": \"vm" + d
                                        + "\", \"destination_uri\": \"qemu+tcp://node2/system\", \"strategy\": \"precopy\"}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            acked.add(JSON.readTree(r.body()).get("id").asText());
                        } else {
                            answers.merge(r.statusCode() + " " + r.body().replaceAll("[0-9a-f-]{36}", "ID"), 1, Integer::sum);
                        }
                    }
                }));
            }
            Thread.sleep(1000 + random.nextInt(1500));
            ChildJvm.kill9(agent);
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
            total += acked.size() - before;
            agent = start(log, conf, port);
            HttpClient reader = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int missing = 0;
            for (String id : acked) {
                int status = reader.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/migrations/" + id))
                        .header("X-Auth-Token", "crash-reader").build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                if (status != 200) {
                    lost.add("round " + round + ": order " + id + " acknowledged, GET answers " + status);
                    acked.remove(id);
                    missing++;
                }
            }
            System.out.printf("agent crash round %d: %d orders acknowledged, %d missing after kill -9 and restart%n",
                    round, acked.size() - before + missing, missing);
        }
        agent.destroy();
        agent.waitFor();
        System.out.printf("crash test (agent orders): %d rounds, %d acknowledged orders, %d lost (other answers: %s)%n", ROUNDS,
                total, lost.size(), answers);
        if (total < ROUNDS) {
            throw new AssertionError("too few orders were acknowledged to judge (other answers: " + answers + "); agent log:\n"
                    + Files.readString(log));
        }
        assertThat(lost).as("acknowledged orders missing after kill -9").isEmpty();
    }

    @Test
    void everyRecordedRestoreEntrySurvivesKillMinus9() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("restore").toAbsolutePath() + System.getProperty("crash.urlSuffix", "");
        Random random = new Random(3);
        Set<String> recorded = new HashSet<>();
        Set<String> removed = new HashSet<>();
        Set<String> removing = new HashSet<>();
        List<String> lost = new ArrayList<>();
        long total = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", ChildJvm.classPath(), RestoreLogWriter.class.getName(), url)
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("writer.log").toFile())).start();
            List<String> lines = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process died
                }
            });
            reader.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !containsReady(lines)) {
                Thread.sleep(50);
            }
            Thread.sleep(500 + random.nextInt(1500));
            ChildJvm.kill9(p);
            reader.join(10_000);
            int roundRecords = 0;
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith("R ")) {
                        recorded.add(l.substring(2));
                        roundRecords++;
                    } else if (l.startsWith("D ")) {
                        removed.add(l.substring(2));
                    } else if (l.startsWith("X ")) {
                        removing.add(l.substring(2));
                    }
                }
            }
            total += roundRecords;
            Set<String> pending = new HashSet<>();
            try (Database db = Database.open(url, "", "", 4, null, "classpath:db/migration/migrator")) {
                for (RestoreEntry e : new JdbcRestoreLog(db).pending()) {
                    pending.add(e.migrationId());
                }
            }
            int missing = 0;
            for (String id : recorded) {
                if (!removing.contains(id) && !pending.contains(id)) {
                    lost.add("round " + round + ": restore entry " + id + " recorded, not pending after restart");
                    missing++;
                }
                if (removed.contains(id) && pending.contains(id)) {
                    lost.add("round " + round + ": restore entry " + id + " removed, pending again after restart");
                    missing++;
                }
            }
            recorded.removeIf(id -> !pending.contains(id));
            System.out.printf("restore-log crash round %d: %d entries recorded, %d wrong after kill -9%n", round,
                    roundRecords, missing);
        }
        System.out.printf("crash test (agent restore log): %d rounds, %d acknowledged entries, %d lost%n", ROUNDS, total,
                lost.size());
        assertThat(total).as("entries were recorded").isGreaterThan(ROUNDS);
        assertThat(lost).as("acknowledged restore-log writes undone by kill -9").isEmpty();
    }

    private static boolean containsReady(List<String> lines) {
        synchronized (lines) {
            return lines.contains("READY");
        }
    }

    private static Process start(Path log, Path conf, int port) throws Exception {
        Process p = ChildJvm.start(log, "io.placewise.migrator.agent.AgentMain", "--config-file", conf.toString());
        try {
            ChildJvm.awaitListening(p, port, Duration.ofSeconds(90));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log), e);
        }
        return p;
    }
}
