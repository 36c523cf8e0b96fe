package io.placewise.bridge;

import io.placewise.service.http.RestService;
import io.placewise.service.config.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.placewise.bridge.config.BalancerConfig;
import io.placewise.bridge.config.BridgeConfig;
import io.placewise.bridge.config.IpAllowList;
import io.placewise.bridge.console.ClusterLoadsResource;
import io.placewise.bridge.console.ClusterLoadsService;
import io.placewise.bridge.console.DashboardResource;
import io.placewise.service.http.OpenApiResource;
import io.placewise.bridge.console.TokenResource;
import io.placewise.bridge.metrics.ClusterMetrics;
import io.placewise.bridge.http.NovaExternalAnswers;
import io.placewise.bridge.http.PolicyExceptionMappers;
import io.placewise.bridge.nova.NovaClient;
import io.placewise.bridge.nova.NovaLiveMigrationExecutor;
import io.placewise.bridge.nova.NovaClusterSync;
import io.placewise.bridge.nova.NovaFeeds;
import io.placewise.bridge.nova.NovaStateApplier;
import io.placewise.bridge.resources.ClusterSyncResource;
import io.placewise.bridge.resources.NovaExternalResource;
import io.placewise.bridge.service.NovaExternalScheduler;
import io.placewise.balancer.execution.MigrationExecutor;
import io.placewise.bridge.migration.MigratorAgentExecutor;
import io.placewise.bridge.resources.BalancerPolicy;
import io.placewise.bridge.resources.BalancerResource;
import io.placewise.bridge.service.BalancerService;
import io.placewise.bridge.service.HostPower;
import io.placewise.service.auth.AccessControl;
import io.placewise.bridge.resources.ClusterResource;
import io.placewise.service.http.HealthResource;
import io.placewise.bridge.resources.HostsResource;
import io.placewise.bridge.resources.ModelResource;
import io.placewise.bridge.resources.PoliciesResource;
import io.placewise.bridge.resources.SchedulingResource;
import io.placewise.bridge.service.ClusterStore;
import io.placewise.bridge.service.PolicyStore;
import io.placewise.service.store.Database;
import io.placewise.scheduler.PolicyCatalog;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge: wires the stores, the core and the resources, and serves them with Grizzly. */
public final class BridgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeServer.class);

    private final BridgeConfig config;
    private final Database db;
    private final HttpServer http;
    private final PolicyStore policies;
    private final ClusterStore cluster;
    private final BalancerService balancer;
    private final Set<Class<?>> resources;
    private NovaFeeds nova;
    private HighAvailability ha;

    private BridgeServer(BridgeConfig config, Database db, HttpServer http, PolicyStore policies, ClusterStore cluster,
                         BalancerService balancer, Set<Class<?>> resources) {
        this.resources = resources;
        this.config = config;
        this.db = db;
        this.http = http;
        this.policies = policies;
        this.cluster = cluster;
        this.balancer = balancer;
    }

    /** Opens the database (migrating it), loads the state and starts listening. */
    public static BridgeServer start(BridgeConfig config) throws IOException {
        return start(config, executor(config));
    }

    /** What runs balancing plans: {@code [balancer] executor} = migrator (the agents) or nova. */
    static MigrationExecutor executor(BridgeConfig config) {
        BalancerConfig b = config.balancer();
        if (b.executor().equals(BalancerConfig.NOVA)) {
            if (!config.nova().configured()) {
                throw new ConfigException("[balancer] executor = nova needs the [nova] section (auth_url, credentials)", null);
            }
            return new NovaLiveMigrationExecutor(new NovaClient(config.nova()));
        }
        return new MigratorAgentExecutor(b.migratorUrlTemplate(), b.migratorToken(), b.destinationUri(), b.pollInterval(),
                java.time.Duration.ofSeconds(b.migrationTimeoutS()));
    }

    /** As {@link #start(BridgeConfig)}, with the executor that carries out balancing plans. */
    public static BridgeServer start(BridgeConfig config, MigrationExecutor executor) throws IOException {
        PrometheusMeterRegistry registry = RestService.meterRegistry();

        Database db = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize(), registry, "classpath:db/migration/bridge");
        ClusterStore cluster = null;
        HighAvailability ha = null;
        try {
            ha = HighAvailability.open(config); // several bridges on PostgreSQL: listen before loading
            PolicyCatalog catalog = PolicyCatalog.discover();
            PolicyStore policies = new PolicyStore(db, catalog, config.policySections(), config.filterOrder());
            cluster = new ClusterStore(db, config.sampleWindow(), config.cluster().staleness(), Clock.systemUTC(), registry);
            // Plans through Nova switch hosts in Nova too: its sync would undo a switch made only here.
            HostPower power = config.balancer().executor().equals(BalancerConfig.NOVA) && config.nova().configured()
                    ? HostPower.nova(new NovaClient(config.nova()), cluster) : HostPower.cluster(cluster);
            BalancerService balancer = new BalancerService(db, cluster, policies, config.balancer(), executor, registry, power);
            config.policySections().keySet().stream().filter(s -> catalog.find(s).isEmpty()).forEach(s ->
                    LOG.warn("config section [{}] names no policy on the class path; it is ignored", s));
            if (!config.novaExternal().allowUnauthenticatedFrom().isEmpty()) {
                LOG.warn("POST /scheduler/nova/external accepts calls without a token from {} ([nova_external] allow_unauthenticated_from)",
                        config.novaExternal().allowUnauthenticatedFrom());
            }
            if (!config.auth().hasAdmin()) {
                LOG.warn("no admin token is configured ([auth] admin_tokens): nobody can change the cluster or policies");
            }

            ClusterLoadsService loads = new ClusterLoadsService(cluster, policies, (snapshot, host) -> snapshot.isStale(host.name()));
            new ClusterMetrics(loads, db).bindTo(registry);
            balancer.onAudit(a -> ClusterMetrics.auditDecided(registry, a.outcome().goal().wireName(), a.outcome().decisionMs()));

            // The periodic sync and the notification listener start once the server listens (below).
            NovaClusterSync novaSync = config.nova().configured() ? new NovaClusterSync(new NovaClient(config.nova())) : null;
            NovaStateApplier novaState = new NovaStateApplier(cluster);
            ResourceConfig rc = RestService.baseConfig(registry);
            PolicyExceptionMappers.all().forEach(rc::register);
            rc.register(new AccessControl(config.auth(),
                            IpAllowList.parse(config.novaExternal().allowUnauthenticatedFrom())::allows))
                    .register(new ClusterResource(cluster))
                    .register(new ClusterSyncResource(novaState, novaSync))
                    .register(new HostsResource(cluster))
                    .register(new SchedulingResource(cluster, policies, config.maxAlternates(), config.maxWeighed(), registry,
                            balancer::history))
                    .register(new PoliciesResource(policies, () -> List.of(BalancerPolicy.dto(config.balancer(), policies.current()))))
                    .register(new BalancerResource(balancer))
                    .register(new NovaExternalResource(cluster, policies,
                            new NovaExternalScheduler(config.novaExternal().novaWeightMultiplier()), registry, balancer::history))
                    .register(new NovaExternalAnswers(registry))
                    .register(new HealthResource(db, registry, () -> HighAvailability.health(balancer)))
                    .register(new ModelResource())
                    // The operator's console (issue 13): open static files and document, reader-role loads and token role.
                    .register(new DashboardResource())
                    .register(new OpenApiResource("/openapi/placewise-bridge.yaml"))
                    .register(new ClusterLoadsResource(loads))
                    .register(new TokenResource(config.auth()));

            HttpServer http = RestService.listen(config.bindHost(), config.bindPort(), rc, config.http());
            BridgeServer server = new BridgeServer(config, db, http, policies, cluster, balancer,
                    RestService.resourceClasses(rc));
            server.ha = ha;
            ha.share(cluster, policies, balancer, registry);
            server.nova = NovaFeeds.start(config.nova(), novaState, novaSync, registry);
            LOG.info("Placewise bridge listening on http://{}:{}/ ({} filters, {} weighers, {} hosts known)",
                    config.bindHost(), server.port(), catalog.filters().size(), catalog.weighers().size(),
                    cluster.current().hosts().size());
            return server;
        } catch (IOException | RuntimeException e) {
            if (ha != null) {
                ha.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            db.close();
            throw e;
        }
    }

    /** The port actually bound (useful with {@code bind_port = 0}). */
    public int port() {
        NetworkListener l = http.getListeners().iterator().next();
        return l.getPort();
    }

    /** The REST resource classes served (the auth matrix test walks them). */
    public Set<Class<?>> resourceClasses() {
        return resources;
    }

    public BridgeConfig config() {
        return config;
    }

    /** The Jersey application being served (the OpenAPI contract test lists its resource methods). */
    public ResourceConfig application() {
        return RestService.application(http);
    }

    /** Stops accepting, lets running requests finish (up to 10 s), then closes the pool. */
    @Override
    public void close() {
        try {
            http.shutdown(10, TimeUnit.SECONDS).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("graceful shutdown did not finish: {}", e.toString());
            http.shutdownNow();
        } finally {
            if (nova != null) {
                nova.close();
            }
            if (ha != null) {
                ha.close();
            }
            balancer.close();
            cluster.close();
            db.close();
            LOG.info("Placewise bridge stopped");
        }
    }
}
