package io.placewise.migrator.agent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.migrator.agent.config.AgentConfig;
import io.placewise.migrator.agent.config.AgentConfigLoader;
import io.placewise.service.testing.JsonHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real agent (Grizzly, Jersey, its H2 file, the real migration runner) on an ephemeral loopback
 * port, over a {@link ScriptedHypervisor}, with an HTTP client for it. Restarting keeps the
 * database and the host, as a restarted agent process would find them.
 */
final class Agent implements AutoCloseable {
    static final String ADMIN = "admin-token";
    static final String SERVICE = "service-token";
    static final String READER = "reader-token";
    static final String DEST = "qemu+tcp://10.77.0.2/system";
    static final ObjectMapper JSON = JsonHttp.JSON;


    final ScriptedHypervisor hypervisor;
    final AgentConfig config;
    private AgentServer server;

    Agent(Path dir, ScriptedHypervisor hypervisor) throws IOException {
        this(dir, hypervisor, Map.of());
    }

    /** @param extra config sections merged over the test defaults, e.g. {@code [profiler]} */
    Agent(Path dir, ScriptedHypervisor hypervisor, Map<String, Map<String, String>> extra) throws IOException {
        this.hypervisor = hypervisor;
        Path proc = ProcFixture.write(dir.resolve("proc"));
        Map<String, Map<String, String>> sections = new HashMap<>();
        sections.put("DEFAULT", Map.of("bind_host", "127.0.0.1", "bind_port", "0",
                "database_url", "jdbc:h2:file:" + dir.resolve("agent").toAbsolutePath()));
        sections.put("auth", Map.of("admin_tokens", ADMIN, "service_tokens", SERVICE, "reader_tokens", READER));
        sections.put("libvirt", Map.of("uri", "qemu+tcp://10.77.0.1/system"));
        sections.put("migrator", Map.of("poll_interval_ms", "20", "no_progress_timeout_s", "30",
                "completion_timeout_s_per_gib", "600", "dirty_rate_window_s", "1"));
        sections.put("profiler", Map.of("host_name", "node1", "proc_root", proc.toString(), "interval_s", "1"));
        extra.forEach((name, values) -> {
            Map<String, String> merged = new HashMap<>(sections.getOrDefault(name, Map.of()));
            merged.putAll(values);
            sections.put(name, merged);
        });
        this.config = AgentConfigLoader.fromSections("test", sections);
        start();
    }

    private void start() throws IOException {
        server = AgentServer.start(config, hypervisor, hypervisor, hypervisor, () -> { });
    }

    /** Stops the agent cleanly and starts a new one on the same database and host. */
    void restart() throws IOException {
        server.close();
        start();
    }

    int port() {
        return server.port();
    }

    /** The REST resource classes the agent serves. */
    java.util.Set<Class<?>> resourceClasses() {
        return server.resourceClasses();
    }

    /** Every row of the agent's database, to check that a rejected request changed nothing. */
    String databaseDump() {
        return io.placewise.service.testing.DatabaseDump.of(config.databaseUrl(), config.databaseUser(),
                config.databasePassword());
    }

    @Override
    public void close() {
        server.close();
    }

    record Reply(int status, String contentType, JsonNode body, String text, HttpResponse<String> raw) {
        boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }
    }

    Reply send(String method, String path, String token, String body) throws Exception {
        JsonHttp.Answer a = JsonHttp.send("http://127.0.0.1:" + port(), method, path, token, body);
        return new Reply(a.status(), a.contentType(), a.json(), a.text(), a.raw());
    }

    Reply get(String path) throws Exception {
        return send("GET", path, READER, null);
    }

    /** Orders a migration as the bridge's executor would; returns its id. */
    String order(String domain, String strategy) throws Exception {
        return order("{\"domain\":\"" + domain + "\",\"destination_uri\":\"" + DEST + "\",\"strategy\":\"" + strategy + "\"}");
    }

    String order(String body) throws Exception {
        Reply r = send("POST", "/v1/migrations", SERVICE, body);
        if (r.status() != 202) {
            throw new AssertionError("POST /v1/migrations: " + r.status() + " " + r.text());
        }
        return r.body().get("id").asText();
    }

    JsonNode migration(String id) throws Exception {
        return get("/v1/migrations/" + id).body();
    }

    /** Waits until the migration is in {@code state} and returns it. */
    JsonNode awaitState(String id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = migration(id);
            return state.equals(last[0].get("state").asText());
        });
        return last[0];
    }

    /** A minimal /proc tree for the profiler: 2 CPUs, 4 GiB, one NIC. */
    static final class ProcFixture {
        static Path write(Path proc) throws IOException {
            Files.createDirectories(proc.resolve("net"));
            writeCounters(proc, 1000, 800, 0, 0, 0);
            return proc;
        }

        static void writeCounters(Path proc, long total, long idle, long pswpout, long rxBytes, long txBytes)
                throws IOException {
            long busy = total - idle;
            Files.writeString(proc.resolve("stat"), "cpu  " + busy + " 0 0 " + idle + " 0 0 0 0 0 0\n"
                    + "cpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 0\n");
            Files.writeString(proc.resolve("meminfo"), "MemTotal:        4194304 kB\nMemFree:         1048576 kB\n"
                    + "MemAvailable:    3145728 kB\n");
            Files.writeString(proc.resolve("vmstat"), "nr_free_pages 1\npswpin 0\npswpout " + pswpout + "\n");
            Files.writeString(proc.resolve("net/dev"), "Inter-|   Receive  |  Transmit\n face |bytes packets|bytes\n"
                    + "    lo: 999999 1 0 0 0 0 0 0 999999 1 0 0 0 0 0 0\n"
                    + "  eth0: " + rxBytes + " 10 0 0 0 0 0 0 " + txBytes + " 10 0 0 0 0 0 0\n");
        }
    }
}
