package io.placewise.service.testing;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A service as an operator runs it, for the launcher and crash tests of the bridge and the agent: its
 * configuration (loopback, an H2 file database, one token per role), plain HTTP calls with a token,
 * the packaged launcher started on it, and a writer that keeps writing until told to stop.
 */
public final class Launcher {
    /** The repository's root (where {@code bin/} is): {@code -Dplacewise.home}, else the module's parent. */
    public static final Path HOME = Path.of(System.getProperty("placewise.home", "..")).toAbsolutePath().normalize();

    private Launcher() {
    }

    /**
     * Writes {@code dir/fileName}: {@code [DEFAULT]} on 127.0.0.1:{@code port} with its database in {@code dir/db},
     * {@code [auth]} tokens {@code PREFIX-admin}, {@code PREFIX-service} and {@code PREFIX-reader}, then {@code more}.
     */
    public static Path config(Path dir, String fileName, int port, String tokenPrefix, String more) throws IOException {
        return config(dir, fileName, port, tokenPrefix, "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(), more);
    }

    /** As above, with the database at {@code databaseUrl}. */
    public static Path config(Path dir, String fileName, int port, String tokenPrefix, String databaseUrl, String more)
            throws IOException {
        Path conf = dir.resolve(fileName);
        Files.writeString(conf, """
                [DEFAULT]
                bind_host = 127.0.0.1
                bind_port = %d
                database_url = %s
                [auth]
                admin_tokens = %s-admin
                service_tokens = %s-service
                reader_tokens = %s-reader
                """.formatted(port, databaseUrl, tokenPrefix, tokenPrefix, tokenPrefix) + more);
        return conf;
    }

    /** One call to the service on loopback; {@code token} and {@code body} may be null. */
    public static HttpResponse<String> call(int port, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return JsonHttp.send("http://127.0.0.1:" + port, method, path, token, body).raw();
    }

    /** Starts {@code bin/LAUNCHER --config-file CONF} with its output in {@code log} and {@code env} added. */
    public static Process start(String launcher, Path conf, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin").resolve(launcher).toString(), "--config-file", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** One write a crash test repeats. */
    public interface Write {
        void run() throws Exception;
    }

    /** A daemon thread repeating {@code w} until {@code stop}; a write that fails was not acknowledged and is tried again. */
    public static Thread writer(AtomicBoolean stop, Write w) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    w.run();
                } catch (Exception e) {
                    // Not acknowledged (the service is being killed, or a stale connection): try again.
                }
            }
        }, "crash-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
