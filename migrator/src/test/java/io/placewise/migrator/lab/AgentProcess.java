package io.placewise.migrator.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent as its own process ({@code AgentMain}, as {@code bin/placewise-migrator} runs it), so a
 * lab test can {@code kill -9} it mid-migration and start it again on the same database, as an
 * operator's compute node would see it. Its log goes to {@code target/lab-logs/NAME.log}.
 */
final class AgentProcess implements AutoCloseable {
    private final String name;
    private final Path conf;
    private final Path log;
    private final int port;
    private Process process;

    private AgentProcess(String name, Path conf, Path log, int port) {
        this.name = name;
        this.conf = conf;
        this.log = log;
        this.port = port;
    }

    /** Writes {@code sections} (with a free loopback port) as NAME.conf and starts the agent on it. */
    static AgentProcess start(String name, Map<String, Map<String, String>> sections) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Map<String, String>> all = new HashMap<>(sections);
        Map<String, String> dflt = new HashMap<>(all.getOrDefault("DEFAULT", Map.of()));
        dflt.put("bind_host", "127.0.0.1");
        dflt.put("bind_port", Integer.toString(port));
        all.put("DEFAULT", dflt);
        StringBuilder ini = new StringBuilder();
        all.forEach((section, values) -> {
            ini.append('[').append(section).append("]\n");
            values.forEach((k, v) -> ini.append(k).append(" = ").append(v).append('\n'));
        });
        Path dir = Files.createDirectories(Path.of("target", "lab-logs")).toAbsolutePath();
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, ini);
        AgentProcess p = new AgentProcess(name, conf, dir.resolve(name + ".log"), port);
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        long from = Files.exists(log) ? Files.size(log) : 0; // a restart appends to the same log
        String java = ProcessHandle.current().info().command().orElse("java");
        // surefire's forked JVM: its test class path holds the agent and every dependency
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", cp,
                "io.placewise.migrator.agent.AgentMain", "--config-file", conf.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return Files.readString(log).substring((int) from).contains("listening on http://127.0.0.1:" + port + "/");
        });
    }

    int port() {
        return port;
    }

    /** {@code kill -9}: no shutdown hook, no abort, nothing written; the libvirt job runs on unwatched. */
    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the same agent again: same configuration, same database. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    /** SIGTERM, the clean stop. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
