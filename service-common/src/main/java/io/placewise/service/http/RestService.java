package io.placewise.service.http;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import io.placewise.service.api.Problem;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.micrometer.server.MetricsApplicationEventListener;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * What every Placewise REST service (the bridge, the migrator agent) is built from, so that they
 * speak one convention: JVM metrics, the strict JSON mapper, problem+json for every failure,
 * request timing (Jersey's Micrometer listener, labels from closed sets), and Grizzly listening where the configuration says.
 */
public final class RestService {
    private RestService() {
    }

    /** A Prometheus registry with the JVM's memory, GC, thread and CPU meters. */
    public static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    /**
     * The shared part of a service's Jersey configuration; the caller adds its auth filter and
     * resources. WADL is off (JAXB noise) and so is Jersey's bean validation: requests are
     * validated by {@code RequestValidator}, whose errors name fields as on the wire.
     */
    public static ResourceConfig baseConfig(PrometheusMeterRegistry registry) {
        ResourceConfig rc = new ResourceConfig()
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .property(ServerProperties.BV_FEATURE_DISABLE, true)
                .register(JacksonFeature.withoutExceptionMappers())
                .register(new JsonMapperProvider())
                .register(new MetricsApplicationEventListener(registry, new RouteTags(), RouteTags.METRIC, true));
        ExceptionMappers.all().forEach(rc::register);
        return rc;
    }

    /**
     * Blocks until the JVM is asked to stop (SIGTERM/SIGINT), then closes {@code server}: the
     * launchers' "run in the foreground, stop cleanly" contract.
     */
    public static int serveUntilStopped(AutoCloseable server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e);
            } finally {
                stopped.countDown();
            }
        }, "placewise-shutdown"));
        stopped.await();
        return 0;
    }

    /** The REST resource classes {@code rc} serves (instances and classes with {@code @Path}). */
    public static Set<Class<?>> resourceClasses(ResourceConfig rc) {
        Set<Class<?>> out = new LinkedHashSet<>();
        rc.getInstances().stream().map(Object::getClass).filter(c -> c.isAnnotationPresent(jakarta.ws.rs.Path.class))
                .forEach(out::add);
        rc.getClasses().stream().filter(c -> c.isAnnotationPresent(jakarta.ws.rs.Path.class)).forEach(out::add);
        return out;
    }

    /** Starts Grizzly on {@code host:port} (port 0: any free port) serving {@code rc}, with the default limits. */
    public static HttpServer listen(String host, int port, ResourceConfig rc) throws IOException {
        return listen(host, port, rc, HttpLimits.DEFAULT);
    }

    /**
     * Starts Grizzly on {@code host:port} serving {@code rc} within {@code limits}: every error,
     * down to an unparsable request line, is problem+json; bodies are received before a worker
     * thread runs the request.
     */
    public static HttpServer listen(String host, int port, ResourceConfig rc, HttpLimits limits) throws IOException {
        HttpServer http = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), rc, false);
        ServerConfiguration server = http.getServerConfiguration();
        HttpHandler jersey = server.getHttpHandlersWithMapping().keySet().iterator().next();
        server.removeHttpHandler(jersey);
        server.addHttpHandler(new BodyFirstHandler(jersey, limits), HttpHandlerRegistration.ROOT);
        server.setDefaultErrorPageGenerator(PROBLEM_PAGE);
        for (NetworkListener l : http.getListeners()) {
            l.setMaxHttpHeaderSize(limits.maxUrlBytes() + limits.maxHeaderBytes() + 64);
            l.setDefaultErrorPageGenerator(PROBLEM_PAGE);
            l.registerAddOn(new ProblemCodecAddOn(limits));
            l.getTransport().setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig().copy()
                    .setPoolName("placewise-http").setCorePoolSize(limits.workerThreads())
                    .setMaxPoolSize(limits.workerThreads()));
        }
        http.start();
        return http;
    }

    /** The Jersey application {@code http} serves (behind the body-first handler). */
    public static ResourceConfig application(HttpServer http) {
        return http.getServerConfiguration().getHttpHandlersWithMapping().keySet().stream()
                .map(h -> h instanceof BodyFirstHandler b ? b.jersey() : h)
                .filter(h -> h instanceof org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer)
                .map(h -> ((org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer) h).getConfiguration())
                .findFirst().orElseThrow();
    }

    /** Grizzly's last resort (an exception no mapper saw) as problem+json instead of its HTML page. */
    private static final ErrorPageGenerator PROBLEM_PAGE = (request, status, reason, description, exception) -> {
        request.getResponse().setContentType(Problem.MEDIA_TYPE);
        return new String(Problems.json(new Problem("about:blank", Problems.title(status), status,
                status >= 500 ? "unexpected failure; see the service log" : "the request could not be served", null)),
                java.nio.charset.StandardCharsets.UTF_8);
    };
}
