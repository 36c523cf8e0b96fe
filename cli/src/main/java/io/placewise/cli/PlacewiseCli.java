package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.placewise.cli.BridgeClient.ApiException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code placewise}: the bridge's API on the command line, in the OpenStack client's habits
 * ({@code --os-url}/{@code PLACEWISE_URL}, {@code --os-token}/{@code PLACEWISE_TOKEN}, {@code -f}, {@code -c}).
 * A refused call prints the problem's detail and exits 1; a usage error exits 2.
 */
@Command(name = "placewise", mixinStandardHelpOptions = true, version = "placewise 0.1.0",
        description = "Command-line client of the Placewise bridge.",
        subcommands = {HelpCommand.class, HostCommands.class, ClusterCommands.class, SelectCommand.class, AuditCommands.class,
                MigrationCommands.class, PolicyCommands.class, HistoryCommands.class})
public final class PlacewiseCli {
    static final String DEFAULT_URL = "http://127.0.0.1:8790";

    @Option(names = "--os-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "the bridge's URL (default: $PLACEWISE_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--os-token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "a token from [auth] of placewise.conf (default: $PLACEWISE_TOKEN)")
    String token;

    @Option(names = {"-f", "--format"}, scope = ScopeType.INHERIT, defaultValue = "table", paramLabel = "FORMAT",
            description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Output.Format format;

    @Option(names = {"-c", "--column"}, scope = ScopeType.INHERIT, paramLabel = "COLUMN",
            description = "show only this column (repeatable)")
    List<String> columns;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "60", paramLabel = "SECONDS",
            description = "per HTTP call (default: ${DEFAULT-VALUE})")
    int timeoutS;

    private final Map<String, String> env;
    private PrintWriter out;
    private PrintWriter err;

    public PlacewiseCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; the exit code. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        PlacewiseCli root = new PlacewiseCli(env);
        root.out = out;
        root.err = err;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ApiException a) {
                err.println("placewise: " + a.getMessage() + (a.status() > 0 ? " (HTTP " + a.status() + ")" : ""));
                if (a.errors() != null) {
                    a.errors().forEach(f -> err.println("  " + f.path("field").asText() + ": " + f.path("message").asText()));
                }
                return 1;
            }
            if (e instanceof IllegalArgumentException) {
                err.println("placewise: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    static PlacewiseCli of(CommandSpec spec) {
        return (PlacewiseCli) spec.root().userObject();
    }

    BridgeClient client() {
        String u = url != null ? url : env.getOrDefault("PLACEWISE_URL", DEFAULT_URL);
        String t = token != null ? token : env.get("PLACEWISE_TOKEN");
        if (t == null || t.isBlank()) {
            throw new IllegalArgumentException("no token: pass --os-token or set PLACEWISE_TOKEN");
        }
        return new BridgeClient(u, t, Duration.ofSeconds(timeoutS));
    }

    Output output() {
        return new Output(format, columns, out);
    }

    PrintWriter err() {
        return err;
    }

    /** The answer as a JSON value, for commands whose answer is printed as is. */
    static JsonNode need(JsonNode n, String what) {
        if (n == null || n.isNull()) {
            throw new ApiException(0, "the bridge answered no " + what, null);
        }
        return n;
    }
}
