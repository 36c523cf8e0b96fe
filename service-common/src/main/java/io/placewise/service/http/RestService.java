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
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * What every Placewise REST service (the bridge, the migrator agent) is built from, so that they
 * speak one convention: JVM metrics, the strict JSON mapper, problem+json for every failure,
 * request timing, and Grizzly listening where the configuration says.
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
                .register(new MetricsFilter(registry));
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

    /** Starts Grizzly on {@code host:port} (port 0: any free port) serving {@code rc}. */
    public static HttpServer listen(String host, int port, ResourceConfig rc) throws IOException {
        HttpServer http = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), rc, false);
        http.start();
        return http;
    }
}
