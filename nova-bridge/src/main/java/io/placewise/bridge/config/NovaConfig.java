package io.placewise.bridge.config;

/**
 * {@code [nova]}: how the bridge reaches Nova's API (Keystone v3 password auth, then the compute
 * endpoint from the service catalog), and how it keeps its cluster current from Nova: a periodic
 * sync and Nova's versioned notifications. {@code password} and the transport URL's password never
 * appear in {@link #toString()}.
 *
 * @param interfaceName            catalog interface of the compute endpoint: public, internal or admin
 * @param microversion             {@code X-OpenStack-Nova-API-Version} sent on every call; at least 2.60
 *                                 (embedded flavors 2.47, migration uuids 2.59), below 2.88 (which drops
 *                                 the capacities and allocations from {@code /os-hypervisors/detail})
 * @param pollIntervalS            seconds between polls of a running live migration
 * @param timeoutS                 seconds for one HTTP call (connect and answer)
 * @param migrationTimeoutS        seconds a live migration may run before the executor aborts it
 * @param maxRetries               retries of a call that failed with 5xx or a connection error
 * @param syncIntervalS            seconds between two syncs of the cluster from Nova's API (the first at
 *                                 start-up); 0: no periodic sync
 * @param notificationTransportUrl oslo.messaging transport URL of Nova's notification bus,
 *                                 {@code rabbit://user:pass@host:5672[,user:pass@host2:5672]/[vhost]};
 *                                 empty: notifications are not consumed
 * @param notificationTopic        Nova's {@code [notifications] versioned_notifications_topics}
 * @param notificationExchange     the exchange Nova publishes on (its {@code control_exchange})
 * @param notificationPool         the queue the bridge reads, bound like an oslo.messaging listener pool:
 *                                 every pool gets its own copy of each notification
 * @param notificationDurable      declare the exchange and queue durable, as Nova's
 *                                 {@code [oslo_messaging_rabbit] amqp_durable_queues}
 */
public record NovaConfig(String authUrl, String username, String password, String projectName,
                         String userDomainName, String projectDomainName, String regionName,
                         String interfaceName, String microversion, double pollIntervalS, double timeoutS,
                         double migrationTimeoutS, int maxRetries, int syncIntervalS, String notificationTransportUrl,
                         String notificationTopic, String notificationExchange, String notificationPool,
                         boolean notificationDurable) {

    public static final String DEFAULT_MICROVERSION = "2.60";
    public static final int DEFAULT_SYNC_INTERVAL_S = 300;

    public NovaConfig {
        notificationTransportUrl = notificationTransportUrl == null ? "" : notificationTransportUrl.trim();
        notificationTopic = notificationTopic == null || notificationTopic.isBlank() ? "versioned_notifications" : notificationTopic;
        notificationExchange = notificationExchange == null || notificationExchange.isBlank() ? "nova" : notificationExchange;
        notificationPool = notificationPool == null || notificationPool.isBlank() ? "placewise" : notificationPool;
    }

    /** Nova's API only: no periodic sync and no notifications (tests, tools). */
    public NovaConfig(String authUrl, String username, String password, String projectName,
                      String userDomainName, String projectDomainName, String regionName,
                      String interfaceName, String microversion, double pollIntervalS, double timeoutS,
                      double migrationTimeoutS, int maxRetries) {
        this(authUrl, username, password, projectName, userDomainName, projectDomainName, regionName, interfaceName,
                microversion, pollIntervalS, timeoutS, migrationTimeoutS, maxRetries, 0, "", null, null, null, false);
    }

    /** True when {@code auth_url} is set: the Nova client can be built. */
    public boolean configured() {
        return authUrl != null && !authUrl.isBlank();
    }

    /** True when the bridge consumes Nova's notifications. */
    public boolean notificationsConfigured() {
        return !notificationTransportUrl.isEmpty();
    }

    /** This configuration with another sync interval (tests, tools). */
    public NovaConfig withSyncIntervalS(int seconds) {
        return new NovaConfig(authUrl, username, password, projectName, userDomainName, projectDomainName, regionName,
                interfaceName, microversion, pollIntervalS, timeoutS, migrationTimeoutS, maxRetries, seconds,
                notificationTransportUrl, notificationTopic, notificationExchange, notificationPool, notificationDurable);
    }

    /** This configuration consuming notifications from {@code transportUrl} (tests, tools). */
    public NovaConfig withNotifications(String transportUrl, String pool) {
        return new NovaConfig(authUrl, username, password, projectName, userDomainName, projectDomainName, regionName,
                interfaceName, microversion, pollIntervalS, timeoutS, migrationTimeoutS, maxRetries, syncIntervalS,
                transportUrl, notificationTopic, notificationExchange, pool, notificationDurable);
    }

    public static NovaConfig unconfigured() {
        return new NovaConfig("", "", "", "", "Default", "Default", "", "public", DEFAULT_MICROVERSION,
                5, 30, 3600, 3, DEFAULT_SYNC_INTERVAL_S, "", null, null, null, false);
    }

    @Override
    public String toString() {
        return "NovaConfig[auth_url=" + authUrl + ", username=" + username + ", project=" + projectName
                + ", region=" + regionName + ", interface=" + interfaceName + ", microversion=" + microversion
                + ", sync_interval_s=" + syncIntervalS + ", notification_transport_url="
                + notificationTransportUrl.replaceAll("(?<=[/,])([^:/@,]*):[^@/,]*@", "$1:***@") + "]";
    }
}
