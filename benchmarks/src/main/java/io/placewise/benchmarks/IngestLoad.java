package io.placewise.benchmarks;

import io.placewise.bridge.api.ClusterMapper;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.service.http.JsonMapperProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator against the running bridge (issue 10 item 7): loads a {@link SyntheticCluster}
 * with {@code PUT /v1/cluster} (timed), then runs {@code pushers} concurrent profiler agents, each
 * pushing samples for its share of the hosts as fast as the bridge answers (every sample carries its
 * host's VMs with fresh measurements and the traffic they send), while {@code POST /v1/select} runs at
 * a fixed rate. Prints samples/s, sample latency p50/p99, select latency p50/p99 (from each request's
 * scheduled start, so a stalled bridge cannot hide its queue) and the bridge's own group-commit
 * statistics from {@code /metrics}.
 *
 * <p>Run through {@code benchmarks/load/run-ingest.sh}, which starts the bridge, also times its
 * start-up on the loaded database, and prints the machine's load.
 */
public final class IngestLoad {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String url;
    private final String serviceToken;
    private final ClusterSnapshot cluster;
    private final List<String> hostNames;
    private final Map<String, List<Traffic>> trafficBySource = new HashMap<>();

    private IngestLoad(String url, String serviceToken, ClusterSnapshot cluster) {
        this.url = url;
        this.serviceToken = serviceToken;
        this.cluster = cluster;
        this.hostNames = cluster.hosts().stream().map(Host::name).toList();
        cluster.traffic().forEach(t -> trafficBySource.computeIfAbsent(t.src(), k -> new ArrayList<>()).add(t));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        String url = a.getOrDefault("url", "http://127.0.0.1:8790");
        int hosts = Integer.parseInt(a.getOrDefault("hosts", "1000"));
        int pushers = Integer.parseInt(a.getOrDefault("pushers", "8"));
        int warmupS = Integer.parseInt(a.getOrDefault("warmup-s", "20"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "30"));
        double selectRate = Double.parseDouble(a.getOrDefault("select-rate", "20"));
        ClusterSnapshot cluster = SyntheticCluster.build(hosts, 20, 42);
        IngestLoad load = new IngestLoad(url, a.getOrDefault("service-token", "load-service"), cluster);

        if (!a.getOrDefault("put", "true").equals("false")) {
            byte[] body = JsonMapperProvider.MAPPER.writeValueAsBytes(ClusterMapper.toDto(cluster));
            long t0 = System.nanoTime();
            HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/v1/cluster"))
                    .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                    .header("X-Auth-Token", a.getOrDefault("admin-token", "load-admin"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            double putS = (System.nanoTime() - t0) / 1e9;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("PUT /v1/cluster answered " + r.statusCode());
            }
            System.out.printf(Locale.ROOT, "PUT /v1/cluster: %d hosts, %d VMs, %d traffic pairs, %.1f MB: %.2f s%n", hosts,
                    cluster.vms().size(), cluster.traffic().size(), body.length / 1e6, putS);
            System.out.printf(Locale.ROOT, "RESULT_PUT hosts=%d put_s=%.2f%n", hosts, putS);
        }
        System.out.printf("warming up %d s with %d pushers, select at %.0f/s%n", warmupS, pushers, selectRate);
        load.run(pushers, selectRate, warmupS, false);
        Map<String, Double> before = load.metrics();
        long bridgePid = Long.parseLong(a.getOrDefault("bridge-pid", "0"));
        double bridgeCpu0 = cpuSeconds(bridgePid);
        double clientCpu0 = cpuSeconds(ProcessHandle.current().pid());
        System.out.printf("measuring %d s%n", seconds);
        Result r = load.run(pushers, selectRate, seconds, true);
        double bridgeCpu = cpuSeconds(bridgePid) - bridgeCpu0;
        double clientCpu = cpuSeconds(ProcessHandle.current().pid()) - clientCpu0;
        Map<String, Double> after = load.metrics();
        double commits = after.getOrDefault("placewise_cluster_write_seconds_count", 0.0)
                - before.getOrDefault("placewise_cluster_write_seconds_count", 0.0);
        double changes = after.getOrDefault("placewise_cluster_write_changes_sum", 0.0)
                - before.getOrDefault("placewise_cluster_write_changes_sum", 0.0);
        double commitS = after.getOrDefault("placewise_cluster_write_seconds_sum", 0.0)
                - before.getOrDefault("placewise_cluster_write_seconds_sum", 0.0);
        System.out.printf(Locale.ROOT, "group commit: %.0f transactions, %.1f samples each, %.2f ms each%n", commits,
                commits == 0 ? 0 : changes / commits, commits == 0 ? 0 : commitS * 1000 / commits);
        // CPU time, unlike wall time, hardly depends on what else runs on the machine: it tells what the
        // bridge would sustain on two idle cores.
        long requests = r.samples + r.selects;
        System.out.printf(Locale.ROOT, "CPU: bridge %.1f s (%.2f cores), client %.1f s; per request: bridge %.0f us, "
                        + "client %.0f us; at this mix two idle cores would carry about %.0f samples/s%n", bridgeCpu,
                bridgeCpu / r.seconds, clientCpu, bridgeCpu / requests * 1e6, clientCpu / requests * 1e6,
                requests == 0 ? 0 : 2.0 / ((bridgeCpu + clientCpu) / requests) * r.samples / requests);
        System.out.printf(Locale.ROOT, "RESULT hosts=%d vms=%d pushers=%d samples_per_s=%.0f sample_p50_ms=%.2f "
                        + "sample_p99_ms=%.2f select_per_s=%.1f select_p50_ms=%.2f select_p99_ms=%.2f errors=%d%n",
                hosts, cluster.vms().size(), pushers, r.samples / r.seconds, r.sampleP50, r.sampleP99,
                r.selects / r.seconds, r.selectP50, r.selectP99, r.errors);
    }

    record Result(long samples, long selects, double seconds, double sampleP50, double sampleP99, double selectP50,
                  double selectP99, long errors) {
    }

    private Result run(int pushers, double selectRate, int seconds, boolean report) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> sampleLatencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[][] perPusher = new long[pushers][];
        int[] counts = new int[pushers];
        for (int p = 0; p < pushers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(id);
                long[] lat = new long[1 << 16];
                int n = 0;
                int next = id;
                LoadClient client = new LoadClient(url);
                while (System.nanoTime() < end) {
                    String host = hostNames.get(next);
                    next = (next + pushers) % hostNames.size();
                    byte[] body = sample(host, rnd).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    try {
                        if (client.send("POST", "/v1/hosts/" + host + "/samples", serviceToken, body) != 202) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                client.close();
                perPusher[id] = lat;
                counts[id] = n;
            }, "pusher-" + p);
            threads.add(t);
        }
        int selectThreads = 4;
        long[][] perSelect = new long[selectThreads][];
        int[] selectCounts = new int[selectThreads];
        long start = System.nanoTime();
        long intervalNs = selectRate <= 0 ? Long.MAX_VALUE : (long) (1e9 / selectRate);
        byte[] question = selectBody();
        for (int s = 0; s < selectThreads && selectRate > 0; s++) {
            int id = s;
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                LoadClient client = new LoadClient(url);
                for (long slot = id; ; slot += selectThreads) {
                    long at = start + slot * intervalNs;
                    if (at >= end) {
                        break;
                    }
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                    }
                    try {
                        if (client.send("POST", "/v1/select", serviceToken, question) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - at;
                }
                client.close();
                perSelect[id] = lat;
                selectCounts[id] = n;
            }, "select-" + s);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] samples = merge(perPusher, counts);
        long[] selects = merge(perSelect, selectCounts);
        return new Result(samples.length, selects.length, elapsed, pct(samples, 50), pct(samples, 99), pct(selects, 50),
                pct(selects, 99), errors.get());
    }

    /** A profiler report of the host: its load and every VM it runs with fresh numbers, and their traffic. */
    private String sample(String host, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"cpu_util\": ").append(fmt(0.1 + 0.7 * rnd.nextDouble())).append(", \"mem_util\": ")
                .append(fmt(0.3 + 0.4 * rnd.nextDouble())).append(", \"swap_writes_per_s\": ").append(rnd.nextInt(50))
                .append(", \"nic_util\": ").append(fmt(0.1 + 0.3 * rnd.nextDouble())).append(", \"vms\": [");
        List<Vm> vms = cluster.vmsOn(host);
        StringBuilder traffic = new StringBuilder();
        for (int i = 0; i < vms.size(); i++) {
            Vm v = vms.get(i);
            sb.append(i > 0 ? ", " : "").append("{\"id\": \"").append(v.id()).append("\", \"vcpus\": ").append(v.vcpus())
                    .append(", \"memory_mb\": ").append(v.memoryMb()).append(", \"cpu_util\": ").append(fmt(0.04 * rnd.nextDouble()))
                    .append(", \"mem_util\": ").append(fmt(rnd.nextDouble())).append(", \"dirty_rate_mbps\": ")
                    .append(fmt(200 * rnd.nextDouble())).append(", \"workload\": \"").append(v.workload().wireName()).append("\"}");
            for (Traffic t : trafficBySource.getOrDefault(v.id(), List.of())) {
                traffic.append(traffic.length() > 0 ? ", " : "").append("{\"src\": \"").append(t.src()).append("\", \"dst\": \"")
                        .append(t.dst()).append("\", \"mbps\": ").append(fmt(1 + 100 * rnd.nextDouble())).append("}");
            }
        }
        return sb.append("], \"traffic\": [").append(traffic).append("]}").toString();
    }

    private byte[] selectBody() {
        var spec = SyntheticCluster.newVmSpec(cluster);
        Map<String, Object> body = Map.of("spec", Map.of(
                "instance_uuid", spec.instanceUuid(),
                "flavor", Map.of("vcpus", 2, "memory_mb", 4096, "disk_gb", 40),
                "workload", "cpu",
                "group", Map.of("name", "g3", "policy", "anti-affinity", "members", spec.group().members()),
                "traffic", spec.traffic().stream().map(t -> Map.of("peer", t.peer(), "mbps", t.mbps())).toList()));
        try {
            return JsonMapperProvider.MAPPER.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bridge's Prometheus counters, name → value (first series of each name). */
    private Map<String, Double> metrics() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            int brace = name.indexOf('{');
            String key = brace < 0 ? name : name.substring(0, brace);
            out.putIfAbsent(key, Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** User + system CPU seconds of a process, from /proc (0 when it cannot be read). */
    static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat(5) (utime, stime), counted here from field 3 on; clock ticks of 1/100 s.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Four decimals, without String.format's cost (the client shares the bridge's cores). */
    private static double fmt(double d) {
        return Math.round(d * 1e4) / 1e4;
    }

    private static long[] merge(long[][] parts, int[] counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] out = new long[total];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) {
                System.arraycopy(parts[i], 0, out, at, counts[i]);
                at += counts[i];
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
