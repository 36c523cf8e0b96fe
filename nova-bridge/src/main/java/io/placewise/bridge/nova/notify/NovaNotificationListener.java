package io.placewise.bridge.nova.notify;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.placewise.bridge.config.NovaConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes Nova's versioned notifications from RabbitMQ the way an oslo.messaging notification
 * listener with a pool does (Watcher's decision engine listens so, with its host as the pool):
 * the topic exchange Nova publishes on ({@code [nova] notification_exchange}, Nova's
 * {@code control_exchange}, default {@code nova}), a queue named after the pool
 * ({@code notification_pool}) bound with the routing key {@code <topic>.info}. Every pool gets its
 * own copy of each notification, so the bridge takes none away from Watcher or Searchlight
 * (which would happen on the shared default queue {@code versioned_notifications.info}). The
 * queue outlives the bridge, so notifications sent while it is down are applied when it returns.
 *
 * <p>Each message is acknowledged after it is handled, also when it is malformed (a bad message
 * requeued would come back forever). The connection is retried until the broker answers, and the
 * client's automatic recovery reconnects and re-declares the queue after a broker loss.
 */
public final class NovaNotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NovaNotificationListener.class);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final RabbitTransportUrl url;
    private final NovaConfig config;
    private final NovaNotificationHandler handler;
    private final Duration retryInterval;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger connected = new AtomicInteger();
    private final Thread connector;
    private volatile Connection connection;

    /** @param retryInterval first wait between connection attempts, and the client's recovery interval */
    public NovaNotificationListener(NovaConfig config, NovaNotificationHandler handler, MeterRegistry metrics,
                                    Duration retryInterval) {
        this.config = config;
        this.url = RabbitTransportUrl.parse(config.notificationTransportUrl());
        this.handler = handler;
        this.retryInterval = retryInterval;
        Gauge.builder("placewise.nova.notifications.connected", connected, AtomicInteger::get)
                .description("1 while the bridge is connected to Nova's notification bus").register(metrics);
        this.connector = new Thread(this::connectUntilUp, "placewise-nova-notifications");
        this.connector.setDaemon(true);
    }

    public void start() {
        connector.start();
    }

    /** The queue this listener reads (the pool's). */
    public String queue() {
        return config.notificationPool();
    }

    /** True while connected and consuming. */
    public boolean connected() {
        return connected.get() == 1;
    }

    private void connectUntilUp() {
        long waitMs = retryInterval.toMillis();
        while (!closed.get()) {
            try {
                connect();
                return;
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.warn("Nova notifications: cannot connect to {} ({}); retrying in {} ms", url, e.getMessage(), waitMs);
            }
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                return;
            }
            waitMs = Math.min(MAX_RETRY.toMillis(), waitMs * 2);
        }
    }

    private void connect() throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        RabbitTransportUrl.Broker first = url.brokers().get(0);
        f.setUsername(first.username());
        f.setPassword(first.password());
        f.setVirtualHost(url.virtualHost());
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(retryInterval.toMillis());
        f.setRequestedHeartbeat(30);
        f.setConnectionTimeout(10_000);
        List<Address> addresses = url.brokers().stream().map(b -> new Address(b.host(), b.port())).toList();
        Connection c = f.newConnection(addresses, "placewise-bridge");
        if (closed.get()) {
            c.close();
            return;
        }
        Channel ch = c.createChannel();
        String exchange = config.notificationExchange();
        String routingKey = config.notificationTopic() + ".info";
        // As oslo.messaging declares them: a topic exchange, durable and auto-delete as Nova's settings say.
        ch.exchangeDeclare(exchange, "topic", config.notificationDurable(), false, null);
        ch.queueDeclare(queue(), config.notificationDurable(), false, false, null);
        ch.queueBind(queue(), exchange, routingKey);
        ch.basicQos(100);
        ch.basicConsume(queue(), false, "placewise-bridge", new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                try {
                    handler.handle(body);
                } finally {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            }
        });
        ((Recoverable) c).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable r) {
                connected.set(1);
                LOG.info("Nova notifications: reconnected to {}", url);
            }

            @Override
            public void handleRecoveryStarted(Recoverable r) {
                LOG.info("Nova notifications: reconnecting to {}", url);
            }
        });
        c.addShutdownListener((ShutdownSignalException cause) -> {
            connected.set(0);
            if (!closed.get()) {
                LOG.warn("Nova notifications: connection to {} lost ({}); recovering", url, cause.getMessage());
            }
        });
        connection = c;
        connected.set(1);
        LOG.info("Nova notifications: consuming queue '{}' bound to exchange '{}' with '{}' on {}", queue(), exchange,
                routingKey, url);
    }

    @Override
    public void close() {
        closed.set(true);
        connector.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close(5_000);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the notification connection: {}", e.toString());
            }
        }
        connected.set(0);
    }
}
