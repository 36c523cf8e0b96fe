package io.placewise.service.config;

import io.placewise.service.http.HttpLimits;
import java.util.Map;

/**
 * What every Placewise service reads the same way: where it listens and keeps its database
 * ({@code [DEFAULT]}), its tokens ({@code [auth]}) and what one request may take ({@code [http]}).
 * The bridge's and the agent's loaders differ only in their defaults.
 */
public record ServiceSettings(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                              String databasePassword, int databasePoolSize, AuthConfig auth, HttpLimits http) {

    /**
     * @param defaultPort     the service's own port
     * @param defaultDatabase the service's own embedded database
     * @param defaultPoolSize connections kept to the database
     * @throws ConfigException naming the file, section and key of the first problem
     */
    public static ServiceSettings read(String source, Map<String, Map<String, String>> sections, int defaultPort,
                                       String defaultDatabase, int defaultPoolSize) {
        IniFile.Section dflt = IniFile.section(source, sections, "DEFAULT");
        IniFile.Section auth = IniFile.section(source, sections, "auth");
        return new ServiceSettings(
                dflt.string("bind_host", "127.0.0.1"),
                dflt.integer("bind_port", defaultPort, 0, 65535),
                dflt.string("database_url", defaultDatabase),
                dflt.string("database_user", ""),
                dflt.string("database_password", ""),
                dflt.integer("database_pool_size", defaultPoolSize, 1, 200),
                new AuthConfig(auth.list("admin_tokens"), auth.list("service_tokens"), auth.list("reader_tokens")),
                HttpLimits.from(IniFile.section(source, sections, "http")));
    }
}
