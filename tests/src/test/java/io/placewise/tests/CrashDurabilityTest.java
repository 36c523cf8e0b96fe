package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.service.testing.ChildJvm;
import io.placewise.service.testing.Launcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: "a 2xx means the write is on disk". The real bridge runs as a process of its own;
 * concurrent writers PATCH a policy, report samples for two hosts, PUT the cluster and create
 * audits, and record every write answered 2xx. The bridge is killed with SIGKILL in the middle of
 * it, started again on the same H2 file, and every acknowledged write must be there. Ten rounds.
 */
class CrashDurabilityTest {
    static final int ROUNDS = 10;
    /** A new client per bridge process: a pooled connection to a killed one would fail the first write. */
    static volatile HttpClient client = newClient();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /** What the writers got acknowledged, over all rounds. */
    final AtomicLong policySeq = new AtomicLong();
    final AtomicLong clusterSeq = new AtomicLong();
    final AtomicLong sampleSeq = new AtomicLong();
    volatile long policyAcked;
    volatile long clusterAcked;
    final ConcurrentLinkedQueue<String> samplesAcked = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> auditsAcked = new ConcurrentLinkedQueue<>();

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        int port = ChildJvm.freePort();
        Path conf = Launcher.config(dir, "placewise.conf", port, "crash",
                "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + System.getProperty("crash.urlSuffix", ""),
                "[scheduler]\nsample_window = 10000\n");
        Path log = dir.resolve("bridge.log");
        Random random = new Random(9);
        List<String> lost = new ArrayList<>();
        long totalAcked = 0;
        Process bridge = ChildJvm.start(log, "io.placewise.bridge.BridgeMain", "--config-file", conf.toString());
        awaitHealthy(bridge, port, log);
        put(port, cluster(clusterSeq.incrementAndGet()));
        clusterAcked = clusterSeq.get();
        for (int round = 1; round <= ROUNDS; round++) {
            long before = acked();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = List.of(
                    Launcher.writer(stop, () -> patchPolicy(port)), Launcher.writer(stop, () -> sample(port, "pm1")),
                    Launcher.writer(stop, () -> sample(port, "pm2")), Launcher.writer(stop, () -> putCluster(port)),
                    Launcher.writer(stop, () -> audit(port)));
            Thread.sleep(1000 + random.nextInt(1500));
            ChildJvm.kill9(bridge); // while the writers are mid-request
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
            long thisRound = acked() - before;
            totalAcked += thisRound;

            Path snapshots = Files.createDirectories(Path.of("target", "crash-db", System.getProperty("crash.run", "last")));
            Files.copy(dir.resolve("db.mv.db"), snapshots.resolve("round-" + round + ".mv.db"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            bridge = ChildJvm.start(log, "io.placewise.bridge.BridgeMain", "--config-file", conf.toString());
            awaitHealthy(bridge, port, log);
            client = newClient();
            List<String> missing = missingAndForgotten(port);
            System.out.printf("crash round %d: %d writes acknowledged (policy %d, cluster %d, samples %d, audits %d so far),"
                    + " %d missing after kill -9 and restart%n", round, thisRound, policyAcked, clusterAcked,
                    samplesAcked.size(), auditsAcked.size(), missing.size());
            for (String m : missing) {
                lost.add("round " + round + ": " + m);
            }
        }
        bridge.destroy();
        bridge.waitFor();
        System.out.printf("crash test (bridge): %d rounds, %d acknowledged writes, %d lost%n", ROUNDS, totalAcked, lost.size());
        assertThat(totalAcked).as("the writers got writes acknowledged").isGreaterThan(ROUNDS * 10L);
        if (!lost.isEmpty()) {
            Files.copy(log, Path.of("target", "crash-bridge.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(lost).as("acknowledged writes missing after kill -9 (bridge log: target/crash-bridge.log)").isEmpty();
    }

    private long acked() {
        return policyAcked + clusterAcked + samplesAcked.size() + auditsAcked.size();
    }

    /**
     * What the restarted bridge lacks of what was acknowledged; a lost write is reported once (the
     * next round measures from what the bridge holds).
     */
    private List<String> missingAndForgotten(int port) throws Exception {
        List<String> out = new ArrayList<>();
        double multiplier = get(port, "/v1/policies/BalanceWeigher").get("multiplier").asDouble();
        if (multiplier < policyAcked) {
            out.add("PATCH multiplier " + policyAcked + " acknowledged, " + multiplier + " stored");
            policyAcked = (long) multiplier;
        }
        JsonNode vms = get(port, "/v1/cluster").get("vms");
        long gen = vms.size() == 1 ? Long.parseLong(vms.get(0).get("id").asText().substring(4)) : -1;
        if (gen < clusterAcked) {
            out.add("PUT cluster gen-" + clusterAcked + " acknowledged, stored " + vms);
            clusterAcked = gen;
        }
        Set<String> stored = new HashSet<>();
        for (String host : List.of("pm1", "pm2")) {
            for (JsonNode s : get(port, "/v1/hosts/" + host).get("samples")) {
                stored.add(host + "@" + Instant.parse(s.get("at").asText()));
            }
        }
        for (String s : samplesAcked) {
            if (!stored.contains(s)) {
                out.add("sample " + s + " acknowledged, not stored");
                samplesAcked.remove(s);
            }
        }
        for (String id : auditsAcked) {
            int status = send(port, "GET", "/v1/audits/" + id, "crash-reader", null).statusCode();
            if (status != 200) {
                out.add("audit " + id + " acknowledged, GET answers " + status);
                auditsAcked.remove(id);
            }
        }
        return out;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private void patchPolicy(int port) throws Exception {
        long seq = policySeq.incrementAndGet();
        HttpResponse<String> r = send(port, "PATCH", "/v1/policies/BalanceWeigher", "crash-admin",
                "{\"multiplier\": " + seq + "}");
        if (r.statusCode() == 200) {
            policyAcked = Math.max(policyAcked, seq);
        }
    }

    private void sample(int port, String host) throws Exception {
        Instant at = T0.plusSeconds(sampleSeq.incrementAndGet());
        HttpResponse<String> r = send(port, "POST", "/v1/hosts/" + host + "/samples", "crash-service",
                "{\"at\": \"" + at + "\", \"cpu_util\": 0.25}");
        if (r.statusCode() == 202) {
            samplesAcked.add(host + "@" + at);
        }
    }

    private void putCluster(int port) throws Exception {
        long seq = clusterSeq.incrementAndGet();
        if (put(port, cluster(seq)) == 200) {
            clusterAcked = Math.max(clusterAcked, seq);
        }
    }

    private void audit(int port) throws Exception {
        HttpResponse<String> r = send(port, "POST", "/v1/audits", "crash-admin", "{\"goal\": \"balance\", \"dry_run\": true}");
        if (r.statusCode() == 201) {
            auditsAcked.add(Bridge.JSON.readTree(r.body()).get("id").asText());
        }
    }

    private static String cluster(long gen) {
        return """
                {"hosts": [{"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384}},
                           {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384}}],
                 "vms": [{"id": "gen-%d", "host": "pm1", "vcpus": 1, "memory_mb": 512}]}""".formatted(gen);
    }

    private static int put(int port, String body) throws Exception {
        return send(port, "PUT", "/v1/cluster", "crash-admin", body).statusCode();
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, "GET", path, "crash-reader", null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Bridge.JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(int port, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("X-Auth-Token", token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHealthy(Process p, int port, Path log) throws Exception {
        try {
            ChildJvm.awaitListening(p, port, Duration.ofSeconds(90));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log), e);
        }
    }
}
