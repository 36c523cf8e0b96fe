package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.placewise.balancer.BalancerSettings;
import io.placewise.balancer.execution.ExecutionSettings;
import io.placewise.bridge.config.BalancerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * WireMock playing one migrator agent per host (API.md "Migrator agent"), all on one server under
 * {@code /agents/{host}}. An order for domain {@code vm} gets id {@code mig-vm} and stays
 * {@code running} until the test says how it ends; a balloon call answers the memory it was asked for.
 */
final class AgentFarm implements AutoCloseable {
    final WireMockServer wm = new WireMockServer(options().dynamicPort());

    AgentFarm() {
        wm.start();
        reset();
    }

    /** Every agent accepts orders and reports them running. */
    void reset() {
        wm.resetAll();
        wm.stubFor(post(urlPathMatching("/agents/[^/]+/v1/migrations")).atPriority(10).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"mig-{{jsonPath request.body '$.domain'}}\", \"state\": \"queued\"}")
                .withTransformers("response-template")));
        wm.stubFor(get(urlPathMatching("/agents/[^/]+/v1/migrations/mig-.+")).atPriority(10).willReturn(json(
                "{\"state\": \"running\", \"strategy_used\": \"precopy\", \"rounds\": [], \"error\": null}")));
        wm.stubFor(post(urlPathMatching("/agents/[^/]+/v1/domains/[^/]+/memory")).atPriority(10).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"current_mb\": {{jsonPath request.body '$.target_mb'}} }")
                .withTransformers("response-template")));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** {@code [balancer] migrator_url_template} for these agents. */
    String urlTemplate() {
        return "http://127.0.0.1:" + wm.port() + "/agents/{host}";
    }

    /**
     * A bridge configuration with these agents: polls every 20 ms, the given limits and grace, the
     * periodic balancer off.
     */
    BalancerConfig config(ExecutionSettings execution) {
        return new BalancerConfig(false, 60, false, BalancerSettings.DEFAULT, urlTemplate(), "agent-secret",
                "qemu+tcp://{host}/system", 30, 20, BalancerConfig.MIGRATOR, execution, BalancerConfig.DEFAULT_TRIGGER_AFTER, 0);
    }

    static ExecutionSettings limits(int perHost, int cluster, int perHour) {
        return ExecutionSettings.DEFAULT.withLimits(perHost, cluster, perHour);
    }

    /** The agent of {@code host} reports the migration of {@code vm} in this state from now on. */
    void ends(String host, String vm, String state) {
        String error = state.equals("completed") ? "null" : "\"libvirt: unable to connect to the destination\"";
        wm.stubFor(get(urlEqualTo("/agents/" + host + "/v1/migrations/mig-" + vm)).atPriority(1).willReturn(json(
                "{\"state\": \"" + state + "\", \"strategy_used\": \"compressed\", \"rounds\": [], \"downtime_ms\": 12, "
                        + "\"total_ms\": 2100, \"data_mb\": 260.5, \"error\": " + error + "}")));
    }

    /** Every migration the agents were asked about ends completed. */
    void allComplete() {
        wm.stubFor(get(urlPathMatching("/agents/[^/]+/v1/migrations/mig-.+")).atPriority(5).willReturn(json(
                "{\"state\": \"completed\", \"strategy_used\": \"precopy\", \"rounds\": [], \"downtime_ms\": 9, "
                        + "\"total_ms\": 1500, \"data_mb\": 200.0, \"error\": null}")));
    }

    /** The agent of {@code host} stops answering (the connection is reset, as a killed process does). */
    void down(String host) {
        wm.stubFor(any(urlPathMatching("/agents/" + host + "/.*")).atPriority(0).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)).withId(idOf(host)));
    }

    /** The agent of {@code host} answers again. */
    void up(String host) {
        wm.removeStubMapping(wm.getSingleStubMapping(idOf(host)));
    }

    private static java.util.UUID idOf(String host) {
        return java.util.UUID.nameUUIDFromBytes(("down-" + host).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The orders the agents received, oldest first. */
    List<Order> orders() throws Exception {
        List<Order> out = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathMatching("/agents/[^/]+/v1/migrations")))) {
            String host = r.getUrl().split("/")[2];
            out.add(new Order(host, Bridge.JSON.readTree(r.getBodyAsString()), r.getHeader("X-Auth-Token")));
        }
        return out;
    }

    /** The balloon calls the agents received, oldest first. */
    List<Order> balloons() throws Exception {
        List<Order> out = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathMatching("/agents/[^/]+/v1/domains/[^/]+/memory")))) {
            String[] parts = r.getUrl().split("/");
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Bridge.JSON.readTree(r.getBodyAsString());
            out.add(new Order(parts[2], body.put("domain", parts[5]), r.getHeader("X-Auth-Token")));
        }
        return out;
    }

    int aborts() {
        return wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                urlPathMatching("/agents/[^/]+/v1/migrations/.+"))).size();
    }

    /** One order: the agent (host) it went to and its JSON body. */
    record Order(String host, JsonNode body, String token) {
        String vm() {
            return body.get("domain").asText();
        }
    }

    @Override
    public void close() {
        wm.stop();
    }
}
