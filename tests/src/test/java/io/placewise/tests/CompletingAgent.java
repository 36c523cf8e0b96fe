package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.placewise.balancer.BalancerSettings;
import io.placewise.bridge.config.BalancerConfig;

/**
 * WireMock standing in for every host's migrator agent (API.md "Migrator agent"): each migration it is
 * asked for completes, pre-copy, 9 ms downtime, 1.5 s, 300 MiB. For suites whose subject is not the
 * executor (the console, the OpenAPI contract).
 */
final class CompletingAgent implements AutoCloseable {
    static final String TOKEN = "agent-token";
    private final WireMockServer server = new WireMockServer(options().dynamicPort());

    CompletingAgent() {
        server.start();
        server.stubFor(post(urlEqualTo("/v1/migrations")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"m-1\"}")));
        server.stubFor(get(urlEqualTo("/v1/migrations/m-1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"state\": \"completed\", \"strategy_used\": \"precopy\", "
                        + "\"rounds\": [], \"downtime_ms\": 9, \"total_ms\": 1500, \"data_mb\": 300.0, \"error\": null}")));
    }

    /** The bridge's [balancer] settings that send every plan step to this agent. */
    BalancerConfig balancer() {
        return new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT, "http://127.0.0.1:" + server.port(),
                TOKEN, "qemu+tcp://{host}/system", 30, 20, BalancerConfig.MIGRATOR);
    }

    @Override
    public void close() {
        server.stop();
    }
}
