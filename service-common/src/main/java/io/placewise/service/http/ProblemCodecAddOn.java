package io.placewise.service.http;

import io.placewise.service.api.Problem;
import java.io.IOException;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Errors from the first byte Grizzly reads are problem+json too: Grizzly's HTTP codec answers a
 * request it cannot parse, or one over its size limit, with an empty 400 of its own. This add-on
 * puts a codec in its place that checks the configured limits as the request line and headers are
 * parsed (414 for the URL, 431 for the headers, 413 for a declared body size) and writes every
 * error it answers as problem+json.
 */
final class ProblemCodecAddOn implements AddOn {
    private final HttpLimits limits;

    ProblemCodecAddOn(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int at = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
        org.glassfish.grizzly.http.HttpServerFilter original = (org.glassfish.grizzly.http.HttpServerFilter) builder.get(at);
        Codec codec = new Codec(listener, limits);
        codec.setAllowPayloadForUndefinedHttpMethods(original.isAllowPayloadForUndefinedHttpMethods());
        codec.setMaxPayloadRemainderToSkip(original.getMaxPayloadRemainderToSkip());
        builder.set(at, codec);
    }

    /** A limit the request broke; the status says which. */
    static final class LimitExceeded extends IllegalStateException {
        final int status;

        LimitExceeded(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static final class Codec extends org.glassfish.grizzly.http.HttpServerFilter {
        private final HttpLimits limits;

        @SuppressWarnings("deprecation")
        Codec(NetworkListener listener, HttpLimits limits) {
            // Grizzly's own limit covers the request line and the headers together: ours are checked
            // separately below, so its cap is their sum (anything beyond it is still answered as 431/414).
            super(listener.isChunkingEnabled(), limits.maxUrlBytes() + limits.maxHeaderBytes() + 64, null,
                    listener.getKeepAlive(), null, listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
            this.limits = limits;
        }

        @Override
        protected void onInitialLineParsed(HttpHeader header, FilterChainContext ctx) {
            super.onInitialLineParsed(header, ctx);
            HttpRequestPacket r = (HttpRequestPacket) header;
            long length = r.getRequestURIRef().getRequestURIBC().getLength()
                    + (r.getQueryStringDC().isNull() ? 0 : r.getQueryStringDC().getLength() + 1);
            if (length > limits.maxUrlBytes()) {
                throw new LimitExceeded(414, "the URL is " + length + " bytes; at most " + limits.maxUrlBytes() + " are accepted");
            }
        }

        @Override
        protected void onHttpHeadersParsed(HttpHeader header, MimeHeaders headers, FilterChainContext ctx) {
            super.onHttpHeadersParsed(header, headers, ctx);
            long bytes = 0;
            for (int i = 0; i < headers.size(); i++) {
                bytes += headers.getName(i).getLength() + headers.getValue(i).getLength() + 4;
            }
            if (bytes > limits.maxHeaderBytes()) {
                throw new LimitExceeded(431, "the headers are " + bytes + " bytes; at most " + limits.maxHeaderBytes()
                        + " are accepted");
            }
            if (header.getContentLength() > limits.maxBodyBytes()) {
                throw new LimitExceeded(413, "the body is " + header.getContentLength() + " bytes; at most "
                        + limits.maxBodyBytes() + " are accepted");
            }
        }

        @Override
        protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable t) throws IOException {
            HttpResponsePacket response = ((HttpRequestPacket) header).getResponse();
            String message = t == null || t.getMessage() == null ? "" : t.getMessage();
            int status;
            String detail;
            if (t instanceof LimitExceeded e) {
                status = e.status;
                detail = e.getMessage();
            } else if (message.contains("intial line is too large") || message.contains("initial line is too large")) {
                status = 414;
                detail = "the URL is over " + limits.maxUrlBytes() + " bytes";
            } else if (message.contains("header is too large") || message.toLowerCase().contains("max")) {
                status = 431;
                detail = "the headers are over " + limits.maxHeaderBytes() + " bytes or too many";
            } else {
                status = 400;
                detail = "the request line or a header could not be parsed";
            }
            response.setStatus(status);
            response.setReasonPhrase(Problems.title(status));
            header.getAttributes().setAttribute(DETAIL, detail);
            super.onHttpHeaderError(header, ctx, t);
        }

        private static final String DETAIL = ProblemCodecAddOn.class.getName() + ".detail";

        @Override
        protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
            int status = response.getStatus();
            Object detail = response.getRequest() == null ? null : response.getRequest().getAttributes().getAttribute(DETAIL);
            byte[] body = Problems.json(new Problem("about:blank", Problems.title(status), status,
                    detail != null ? detail.toString() : "the request could not be read", null));
            response.setContentType(Problem.MEDIA_TYPE);
            // When the request line itself overflowed, the packet is half-built: set the header too.
            response.getHeaders().setValue("Content-Type").setString(Problem.MEDIA_TYPE);
            response.setContentLength(body.length);
            return HttpContent.builder(response).content(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, body)).last(true).build();
        }
    }
}
