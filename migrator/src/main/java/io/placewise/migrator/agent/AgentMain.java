package io.placewise.migrator.agent;

import io.placewise.migrator.agent.config.AgentConfigLoader;
import io.placewise.service.http.ServiceMain;
import java.nio.file.Path;
import java.util.List;
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
        return ServiceMain.run("placewise-migrator", configFile, AgentConfigLoader::load, config -> {
            try {
                return AgentServer.start(config);
            } catch (io.placewise.migrator.HypervisorException e) {
                throw new ServiceMain.StartFailure(3, List.of("[libvirt] uri " + config.libvirtUri() + ": " + e.getMessage()));
            }
        });
    }
}
