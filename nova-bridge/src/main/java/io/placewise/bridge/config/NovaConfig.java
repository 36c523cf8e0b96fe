package io.placewise.bridge.config;

/**
 * {@code [nova]}: how the bridge reaches Nova's API (Keystone v3 password auth, then the compute
 * endpoint from the service catalog). {@code password} never appears in {@link #toString()}.
 *
 * @param interfaceName       catalog interface of the compute endpoint: public, internal or admin
 * @param microversion        {@code X-OpenStack-Nova-API-Version} sent on every call; at least 2.60
 *                            (embedded flavors 2.47, migration uuids 2.59), below 2.88 (which drops
 *                            the capacities from {@code /os-hypervisors/detail})
 * @param pollIntervalS       seconds between polls of a running live migration
 * @param timeoutS            seconds for one HTTP call (connect and answer)
 * @param migrationTimeoutS   seconds a live migration may run before the executor aborts it
 * @param maxRetries          retries of a call that failed with 5xx or a connection error
 */
public record NovaConfig(String authUrl, String username, String password, String projectName,
                         String userDomainName, String projectDomainName, String regionName,
                         String interfaceName, String microversion, double pollIntervalS, double timeoutS,
                         double migrationTimeoutS, int maxRetries) {

    public static final String DEFAULT_MICROVERSION = "2.60";

    /** True when {@code auth_url} is set: the Nova client can be built. */
    public boolean configured() {
        return authUrl != null && !authUrl.isBlank();
    }

    public static NovaConfig unconfigured() {
        return new NovaConfig("", "", "", "", "Default", "Default", "", "public", DEFAULT_MICROVERSION,
                5, 30, 3600, 3);
    }

    @Override
    public String toString() {
        return "NovaConfig[auth_url=" + authUrl + ", username=" + username + ", project=" + projectName
                + ", region=" + regionName + ", interface=" + interfaceName + ", microversion=" + microversion + "]";
    }
}
