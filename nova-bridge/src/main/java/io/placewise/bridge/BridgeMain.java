package io.placewise.bridge;

import io.placewise.bridge.config.ConfigLoader;
import io.placewise.scheduler.PolicyConfigException;
import io.placewise.service.http.ServiceMain;
import java.nio.file.Path;
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
        return ServiceMain.run("placewise-bridge", configFile, ConfigLoader::load, config -> {
            try {
                return BridgeServer.start(config);
            } catch (PolicyConfigException e) {
                // Policy sections are checked against the plugins found at start: name the file too.
                throw new ServiceMain.StartFailure(2, e.problems().stream()
                        .map(p -> configFile + ": " + p.field() + ": " + p.message()).toList());
            }
        });
    }
}
