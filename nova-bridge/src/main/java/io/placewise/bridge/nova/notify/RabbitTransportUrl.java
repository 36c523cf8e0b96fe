package io.placewise.bridge.nova.notify;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An oslo.messaging transport URL for RabbitMQ, as in Nova's {@code [DEFAULT] transport_url}:
 * {@code rabbit://user:pass@host:5672[,user:pass@host2:5672]/[vhost]}. Several hosts are a cluster
 * to fail over between (the client tries them in order); credentials and the vhost are
 * percent-decoded; an empty vhost is RabbitMQ's default {@code /}. {@link #toString()} hides the password.
 */
public record RabbitTransportUrl(List<Broker> brokers, String virtualHost) {
    public static final int DEFAULT_PORT = 5672;

    /** One broker of the URL, with the credentials written before its host. */
    public record Broker(String host, int port, String username, String password) {
        @Override
        public String toString() {
            return username + ":***@" + host + ":" + port;
        }
    }

    /** @throws IllegalArgumentException saying what is wrong, without repeating the password */
    public static RabbitTransportUrl parse(String url) {
        String u = url.trim();
        int scheme = u.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException("not a transport URL (rabbit://user:pass@host:5672/)");
        }
        String driver = u.substring(0, scheme);
        if (!driver.equals("rabbit") && !driver.equals("kombu") && !driver.equals("amqp")) {
            throw new IllegalArgumentException("transport '" + driver + "' is not supported; use rabbit://");
        }
        String rest = u.substring(scheme + 3);
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q); // oslo's options (e.g. ssl) are not used here
        }
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String vhost = slash < 0 ? "" : decode(rest.substring(slash + 1));
        List<Broker> brokers = new ArrayList<>();
        for (String part : hosts.split(",")) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("a broker address is empty");
            }
            String user = "guest";
            String pass = "guest";
            String hostPort = part;
            int at = part.lastIndexOf('@');
            if (at >= 0) {
                String cred = part.substring(0, at);
                hostPort = part.substring(at + 1);
                int colon = cred.indexOf(':');
                user = decode(colon < 0 ? cred : cred.substring(0, colon));
                pass = colon < 0 ? "" : decode(cred.substring(colon + 1));
            }
            String host = hostPort;
            int port = DEFAULT_PORT;
            int colon = hostPort.lastIndexOf(':');
            if (hostPort.startsWith("[")) { // [IPv6]:port
                int close = hostPort.indexOf(']');
                host = hostPort.substring(1, close);
                colon = hostPort.indexOf(':', close);
            } else if (colon >= 0) {
                host = hostPort.substring(0, colon);
            }
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("port of broker " + host + " is not a number");
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " of broker " + host + " is out of range");
                }
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("a broker has no host");
            }
            brokers.add(new Broker(host, port, user, pass));
        }
        return new RabbitTransportUrl(List.copyOf(brokers), vhost.isEmpty() ? "/" : vhost);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "rabbit://" + String.join(",", brokers.stream().map(Broker::toString).toList()) + "/" + virtualHost;
    }
}
