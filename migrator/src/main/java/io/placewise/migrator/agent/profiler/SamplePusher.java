package io.placewise.migrator.agent.profiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.migrator.agent.api.SampleDtos.Sample;
import io.placewise.service.http.JsonMapperProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a profiler sample every interval and reports it to the bridge
 * ({@code POST /v1/hosts/{name}/samples}, SPEC "Profiler": every 10 s by default) with the
 * configured service token. A failed push is logged and counted, never retried: the next sample
 * supersedes it.
 */
public final class SamplePusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamplePusher.class);

    private final Profiler profiler;
    private final URI target;
    private final String token;
    private final Duration interval;
    private final MeterRegistry metrics;
    // Plain HTTP/1.1: the JDK client's h2c upgrade makes Grizzly (the bridge) stall on bodies.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "placewise-profiler");
        t.setDaemon(true);
        return t;
    });

    public SamplePusher(Profiler profiler, String bridgeUrl, String hostName, String token, Duration interval,
                        MeterRegistry metrics) {
        this.profiler = profiler;
        String base = bridgeUrl.endsWith("/") ? bridgeUrl.substring(0, bridgeUrl.length() - 1) : bridgeUrl;
        this.target = URI.create(base + "/v1/hosts/" + URLEncoder.encode(hostName, StandardCharsets.UTF_8).replace("+", "%20")
                + "/samples");
        this.token = token;
        this.interval = interval;
        this.metrics = metrics;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::pushOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("profiler: reporting to {} every {} s", target, interval.toSeconds());
    }

    /** Samples and pushes once; true when the bridge accepted the sample. */
    public boolean pushOnce() {
        try {
            Sample s = profiler.sample();
            HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("X-Auth-Token", token)
                    .POST(HttpRequest.BodyPublishers.ofString(JsonMapperProvider.MAPPER.writeValueAsString(s)))
                    .build();
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() / 100 == 2;
            metrics.counter("placewise.profiler.pushes", "outcome", ok ? "accepted" : "refused").increment();
            if (!ok) {
                LOG.warn("profiler: {} answered {}: {}", target, r.statusCode(), abbreviate(r.body()));
            }
            return ok;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException | RuntimeException e) {
            metrics.counter("placewise.profiler.pushes", "outcome", "unreachable").increment();
            LOG.warn("profiler: cannot report to {}: {}", target, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
