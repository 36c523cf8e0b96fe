package io.placewise.migrator.agent;

import io.placewise.service.config.ConfigException;
import io.placewise.migrator.agent.config.AgentConfig;
import io.placewise.migrator.agent.config.AgentConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import io.placewise.service.http.RestService;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code placewise-migrator --config-file FILE}: runs the compute-node agent until SIGTERM/SIGINT. */
@Command(name = "placewise-migrator", mixinStandardHelpOptions = true, version = "Placewise migrator 0.1.0",
        description = "Runs the Placewise migrator agent: workload-adaptive live migration and the profiler over REST.")
public final class AgentMain implements Callable<Integer> {
    @Option(names = "--config-file", required = true, paramLabel = "FILE",
            description = "INI configuration file (OpenStack style), e.g. etc/placewise-migrator.conf")
    Path configFile;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(configFile)) {
            System.err.println("placewise-migrator: cannot read " + configFile);
            return 2;
        }
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println("placewise-migrator: " + e.getMessage());
            return 2;
        }
        AgentServer server;
        try {
            server = AgentServer.start(config);
        } catch (io.placewise.migrator.HypervisorException e) {
            System.err.println("placewise-migrator: [libvirt] uri " + config.libvirtUri() + ": " + e.getMessage());
            return 3;
        }
        return RestService.serveUntilStopped(server);
    }
}
