package io.placewise.service.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.server.internal.ContainerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands before Jersey: refuses a target that is not a URI (Jersey would fail on it with Grizzly's
 * HTML 500 page), and receives the whole body without blocking a thread (Grizzly buffers it as it
 * arrives; the request is suspended meanwhile) before Jersey runs, so a hundred clients trickling
 * bodies at a byte a second hold buffers, not the worker threads that {@code /healthz} needs.
 * A body that does not arrive within {@code body_timeout_s} is answered 408, one over
 * {@code max_body_bytes} 413. Resources answer synchronously: one that suspended ({@code @Suspended})
 * after a body was awaited here would fail, since Grizzly refuses a second suspend (ModuleBoundariesTest).
 */
final class BodyFirstHandler extends HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BodyFirstHandler.class);
    private final HttpHandler jersey;
    private final HttpLimits limits;

    BodyFirstHandler(HttpHandler jersey, HttpLimits limits) {
        this.jersey = jersey;
        this.limits = limits;
    }

    HttpHandler jersey() {
        return jersey;
    }

    @Override
    public void start() {
        jersey.start();
    }

    @Override
    public void destroy() {
        jersey.destroy();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        String target = request.getRequestURI();
        String query = request.getQueryString();
        try {
            new URI("http://h" + target + (query == null ? "" : "?" + ContainerUtils.encodeUnsafeCharacters(query)));
        } catch (URISyntaxException e) {
            Problems.write(response, 400, "the request target is not a valid URI: " + e.getReason());
            return;
        }
        boolean body = request.getContentLengthLong() > 0 || "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (!body) {
            jersey.service(request, response);
            return;
        }
        NIOInputStream in = request.getNIOInputStream();
        if (in.isFinished()) {
            // The whole body came with the headers: nothing to wait for, so nothing is suspended here
            // (an asynchronous resource suspends the response itself, and Grizzly refuses a second suspend).
            if (in.readyData() > limits.maxBodyBytes()) {
                Problems.write(response, 413, "the body is over " + limits.maxBodyBytes() + " bytes");
                return;
            }
            jersey.service(request, response);
            return;
        }
        response.suspend(limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS, null, timedOut -> {
            try {
                Problems.write(timedOut, 408, "the body did not arrive within " + limits.bodyTimeout().toSeconds() + " s");
            } catch (Exception e) {
                LOG.debug("could not answer a slow client: {}", e.toString());
            }
            return true;
        });
        in.notifyAvailable(new ReadHandler() {
            @Override
            public void onDataAvailable() throws Exception {
                // Only called once more than max_body_bytes are buffered.
                tooLarge();
            }

            @Override
            public void onAllDataRead() throws Exception {
                if (in.readyData() > limits.maxBodyBytes()) {
                    tooLarge();
                    return;
                }
                // The body is in; from here the answer may take as long as the work does.
                response.getSuspendContext().setTimeout(-1, TimeUnit.MILLISECONDS);
                jersey.service(request, response);
            }

            @Override
            public void onError(Throwable t) {
                LOG.debug("request body not received: {}", t.toString());
                if (response.isSuspended()) {
                    response.cancel();
                }
            }

            private void tooLarge() throws Exception {
                Problems.write(response, 413, "the body is over " + limits.maxBodyBytes() + " bytes");
                response.resume();
            }
        }, limits.maxBodyBytes() + 1);
    }
}
