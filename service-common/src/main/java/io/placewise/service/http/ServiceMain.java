package io.placewise.service.http;

import io.placewise.service.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the bridge's and the agent's launchers do once their command line is parsed: read the
 * configuration file, start the service, serve until SIGTERM/SIGINT. A file that cannot be read or
 * used exits 2 with a line naming the file, section and key; a start the operator can fix exits with
 * the code the service gives.
 */
public final class ServiceMain {
    private ServiceMain() {
    }

    /** Reads the configuration file. */
    public interface Loader<C> {
        /** @throws ConfigException naming the file, section and key of the first problem */
        C load(Path file);
    }

    /** Starts the service; what it returns is closed at SIGTERM. */
    public interface Starter<C> {
        /** @throws StartFailure for a failure the operator can fix, said in their words */
        AutoCloseable start(C config) throws Exception;
    }

    /** A start-up the configuration made impossible: the lines to print and the exit code. */
    public static final class StartFailure extends Exception {
        private final int exitCode;
        private final List<String> lines;

        public StartFailure(int exitCode, List<String> lines) {
            super(String.join("; ", lines));
            this.exitCode = exitCode;
            this.lines = List.copyOf(lines);
        }
    }

    /** @param name the launcher's name, the prefix of every line it prints */
    public static <C> int run(String name, Path configFile, Loader<C> loader, Starter<C> starter) throws Exception {
        if (!Files.isReadable(configFile)) {
            System.err.println(name + ": cannot read " + configFile);
            return 2;
        }
        C config;
        try {
            config = loader.load(configFile);
        } catch (ConfigException e) {
            System.err.println(name + ": " + e.getMessage());
            return 2;
        }
        AutoCloseable server;
        try {
            server = starter.start(config);
        } catch (StartFailure f) {
            f.lines.forEach(line -> System.err.println(name + ": " + line));
            return f.exitCode;
        }
        return RestService.serveUntilStopped(server);
    }
}
