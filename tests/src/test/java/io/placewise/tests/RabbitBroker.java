package io.placewise.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A private RabbitMQ node from Debian's {@code rabbitmq-server} package, on ephemeral loopback
 * ports with its own data, logs, Erlang cookie and port mapper, so it touches no broker of the
 * machine. {@link #stop()} and {@link #start()} keep the port and the data, like a broker restart.
 */
final class RabbitBroker implements AutoCloseable {
    static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    static final Path EPMD = Path.of("/usr/bin/epmd");

    private final Path dir;
    private final int port;
    private final int distPort;
    private final int epmdPort;
    private Process process;

    RabbitBroker(Path dir) throws IOException {
        this.dir = dir;
        this.port = freePort();
        this.distPort = freePort();
        this.epmdPort = freePort();
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
    }

    static boolean installed() {
        return Files.isExecutable(SERVER);
    }

    int port() {
        return port;
    }

    String url(String user, String password) {
        return "rabbit://" + user + ":" + password + "@127.0.0.1:" + port + "/";
    }

    /** Starts the node and waits until it accepts AMQP connections (a few seconds). */
    void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SERVER.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
        Map<String, String> env = pb.environment();
        env.put("HOME", dir.toString()); // its own Erlang cookie
        env.put("RABBITMQ_NODENAME", "placewise-test-" + port + "@localhost");
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rabbitmq-server exited " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("server.out")));
            }
            if (accepts()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("rabbitmq-server did not listen on " + port + " within 120 s");
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            s.getOutputStream().write("AMQP\0\0\u0009\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return s.getInputStream().read() >= 0; // connection.start: the broker is up
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the node (SIGTERM to the Erlang VM it started) and waits for it to exit. */
    void stop() throws Exception {
        if (process == null) {
            return;
        }
        Path pid = dir.resolve("pid");
        if (Files.exists(pid)) {
            long beam = Long.parseLong(Files.readString(pid).trim());
            ProcessHandle.of(beam).ifPresent(ProcessHandle::destroy);
            ProcessHandle.of(beam).ifPresent(h -> h.onExit().join());
        }
        process.destroy();
        process.waitFor();
        process = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (accepts() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        // The port mapper the node started on its private port.
        new ProcessBuilder(EPMD.toString(), "-port", Integer.toString(epmdPort), "-kill")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
