package io.placewise.bridge;

import io.placewise.service.config.ConfigException;
import io.placewise.bridge.config.BridgeConfig;
import io.placewise.bridge.config.ConfigLoader;
import io.placewise.scheduler.PolicyConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.placewise.service.http.RestService;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code placewise-bridge --config-file FILE}: runs the bridge until SIGTERM/SIGINT. */
@Command(name = "placewise-bridge", mixinStandardHelpOptions = true, version = "Placewise bridge 0.1.0",
        description = "Runs the Placewise bridge: placement hooks, cluster state and policy admin over REST.")
public final class BridgeMain implements Callable<Integer> {
    @Option(names = "--config-file", required = true, paramLabel = "FILE",
            description = "INI configuration file (OpenStack style), e.g. etc/placewise.conf")
    Path configFile;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new BridgeMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(configFile)) {
            System.err.println("placewise-bridge: cannot read " + configFile);
            return 2;
        }
        BridgeConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println("placewise-bridge: " + e.getMessage());
            return 2;
        }
        BridgeServer server;
        try {
            server = BridgeServer.start(config);
        } catch (PolicyConfigException e) {
            // Policy sections are checked against the plugins found at start: name the file too.
            e.problems().forEach(p -> System.err.println("placewise-bridge: " + configFile + ": " + p.field() + ": " + p.message()));
            return 2;
        }
        return RestService.serveUntilStopped(server);
    }
}
