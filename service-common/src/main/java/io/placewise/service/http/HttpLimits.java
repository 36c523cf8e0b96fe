package io.placewise.service.http;

import io.placewise.service.config.IniFile;
import java.time.Duration;

/**
 * What one request may take of a service, from the {@code [http]} section: the URL and header
 * sizes (414, 431), the body size (413), how long the body may take to arrive (408), and the
 * worker threads. Bodies are read without holding a worker thread, so slow clients cost a buffer
 * each, not a thread.
 *
 * @param maxUrlBytes     request line's target (path and query)
 * @param maxHeaderBytes  all header lines together
 * @param maxBodyBytes    the request body (PUT /v1/cluster of 10,000 hosts and 200,000 VMs is about 50 MB)
 * @param bodyTimeout     time allowed to receive the whole body
 * @param workerThreads   threads that run requests once their body is in
 */
public record HttpLimits(int maxUrlBytes, int maxHeaderBytes, int maxBodyBytes, Duration bodyTimeout, int workerThreads) {
    public static final HttpLimits DEFAULT = new HttpLimits(8192, 16_384, 64 * 1024 * 1024, Duration.ofSeconds(30), 16);

    /** The {@code [http]} section of a service's configuration file. */
    public static HttpLimits from(IniFile.Section http) {
        HttpLimits d = DEFAULT;
        return new HttpLimits(
                http.integer("max_url_bytes", d.maxUrlBytes(), 256, 1 << 20),
                http.integer("max_header_bytes", d.maxHeaderBytes(), 1024, 1 << 20),
                http.integer("max_body_bytes", d.maxBodyBytes(), 1024, Integer.MAX_VALUE - 1),
                Duration.ofSeconds(http.integer("body_timeout_s", (int) d.bodyTimeout().toSeconds(), 1, 3600)),
                http.integer("worker_threads", d.workerThreads(), 2, 1024));
    }
}
