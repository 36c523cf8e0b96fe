package io.placewise.migrator.agent;

import io.placewise.service.http.RestService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.placewise.migrator.DomainProbe;
import io.placewise.migrator.Hypervisor;
import io.placewise.migrator.MemoryBalloon;
import io.placewise.migrator.MigrationRunner;
import io.placewise.migrator.TimeSource;
import io.placewise.model.WorkloadClassifier;
import io.placewise.migrator.agent.config.AgentConfig;
import io.placewise.migrator.agent.profiler.ProcReader;
import io.placewise.migrator.agent.profiler.Profiler;
import io.placewise.migrator.agent.profiler.traffic.NetlinkConntrack;
import io.placewise.migrator.DomainAddresses;
import io.placewise.migrator.agent.profiler.SamplePusher;
import io.placewise.service.http.HealthResource;
import io.placewise.service.http.OpenApiResource;
import io.placewise.migrator.agent.resources.DomainsResource;
import io.placewise.migrator.agent.resources.MigrationsResource;
import io.placewise.migrator.agent.resources.StatsResource;
import io.placewise.migrator.agent.service.BalloonService;
import io.placewise.migrator.agent.service.MigrationService;
import io.placewise.migrator.agent.store.JdbcRestoreLog;
import io.placewise.migrator.agent.store.MigrationRepository;
import io.placewise.migrator.libvirt.LibvirtHypervisor;
import io.placewise.service.auth.AccessControl;
import io.placewise.service.store.Database;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrator agent (SPEC "Migrator", "Profiler"): wires the hypervisor, its database, the
 * migration runner and the profiler to the REST resources, recovers what a previous process left
 * (CPU shares, migrations it was running) before it listens, and serves with Grizzly.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
    /** The agent's OpenAPI document, kept beside the resources and served at {@code GET /openapi.json}. */
    public static final String DOCUMENT = "/openapi/placewise-migrator.yaml";

    private final Database db;
    private final HttpServer http;
    private final MigrationService migrations;
    private final SamplePusher pusher;
    private final AutoCloseable hypervisorHandle;
    private final Set<Class<?>> resources;

    private AgentServer(Database db, HttpServer http, MigrationService migrations, SamplePusher pusher,
                        AutoCloseable hypervisorHandle, Set<Class<?>> resources) {
        this.resources = resources;
        this.db = db;
        this.http = http;
        this.migrations = migrations;
        this.pusher = pusher;
        this.hypervisorHandle = hypervisorHandle;
    }

    /** Connects to {@code [libvirt] uri} and starts. */
    public static AgentServer start(AgentConfig config) throws IOException {
        LibvirtHypervisor libvirt = new LibvirtHypervisor(config.libvirtUri(), config.cgroupRoot());
        try {
            return start(config, libvirt, libvirt, libvirt, libvirt);
        } catch (IOException | RuntimeException e) {
            libvirt.close();
            throw e;
        }
    }

    /** Starts on the given hypervisor (tests give a scripted one); {@code handle} is closed on stop. */
    public static AgentServer start(AgentConfig config, Hypervisor hypervisor, DomainProbe probe, MemoryBalloon balloon,
                                    AutoCloseable handle) throws IOException {
        PrometheusMeterRegistry registry = RestService.meterRegistry();

        // Its own migrations folder: the bridge's live in db/migration and must not mix with these.
        Database db = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize(), registry, "classpath:db/migration/migrator");
        MigrationService migrations = null;
        SamplePusher pusher = null;
        try {
            JdbcRestoreLog restoreLog = new JdbcRestoreLog(db);
            MigrationRunner runner = new MigrationRunner(hypervisor, restoreLog, config.runner(), TimeSource.SYSTEM);
            migrations = new MigrationService(hypervisor, new MigrationRepository(db), restoreLog, runner, registry,
                    config.orphanedJobs());
            // Before listening: nobody may see a "running" migration whose runner died with the last process.
            migrations.recover();

            // Traffic between VMs: the kernel's connection counters, VMs by their libvirt addresses.
            boolean traffic = config.profiler().measuresTraffic() && probe instanceof DomainAddresses;
            Profiler profiler = new Profiler(config.profiler().hostName(),
                    new ProcReader(config.profiler().procRoot(), config.profiler().nics(), config.profiler().cpuCgroup(),
                            config.profiler().cpus()), probe,
                    WorkloadClassifier.DEFAULT, config.profiler().nicMbps(), config.profiler().interval(),
                    traffic ? new NetlinkConntrack() : null, traffic ? (DomainAddresses) probe : null);
            if (config.profiler().pushes()) {
                pusher = new SamplePusher(profiler, config.profiler().bridgeUrl(), config.profiler().hostName(),
                        config.profiler().bridgeToken(), config.profiler().interval(), registry);
            }
            if (!config.auth().hasAdmin()) {
                LOG.warn("no admin token is configured ([auth] admin_tokens)");
            }

            ResourceConfig rc = RestService.baseConfig(registry)
                    .register(new AccessControl(config.auth()))
                    .register(new MigrationsResource(migrations, config.defaultMaxDowntimeMs(),
                            config.guestToleratesSlowing()))
                    .register(new DomainsResource(new BalloonService(balloon, migrations)))
                    .register(new StatsResource(profiler))
                    .register(new HealthResource(db, registry))
                    .register(new OpenApiResource(DOCUMENT));

            HttpServer http = RestService.listen(config.bindHost(), config.bindPort(), rc, config.http());
            if (pusher != null) {
                pusher.start();
            }
            AgentServer server = new AgentServer(db, http, migrations, pusher, handle, RestService.resourceClasses(rc));
            LOG.info("Placewise migrator agent listening on http://{}:{}/ (hypervisor {})", config.bindHost(),
                    server.port(), config.libvirtUri());
            return server;
        } catch (IOException | RuntimeException e) {
            if (pusher != null) {
                pusher.close();
            }
            if (migrations != null) {
                migrations.close(Duration.ZERO);
            }
            db.close();
            throw e;
        }
    }

    /** The REST resource classes served (the auth matrix test walks them). */
    public Set<Class<?>> resourceClasses() {
        return resources;
    }

    /** The port actually bound (useful with {@code bind_port = 0}). */
    public int port() {
        return http.getListeners().iterator().next().getPort();
    }

    /**
     * Stops accepting requests, aborts queued and running migrations (the VMs stay here with their
     * shares restored; one in post-copy is let finish), then closes the database and hypervisor.
     */
    @Override
    public void close() {
        try {
            http.shutdown(10, TimeUnit.SECONDS).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("graceful shutdown did not finish: {}", e.toString());
            http.shutdownNow();
        }
        if (pusher != null) {
            pusher.close();
        }
        migrations.close();
        db.close();
        try {
            hypervisorHandle.close();
        } catch (Exception e) {
            LOG.warn("hypervisor connection not closed cleanly: {}", e.toString());
        }
        LOG.info("Placewise migrator agent stopped");
    }
}
