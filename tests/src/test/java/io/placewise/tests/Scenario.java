package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for the REST scenario tests: read a /v1/select or /v1/filter answer, PATCH a policy. */
final class Scenario {
    private Scenario() {
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** host → "filter: reason" of every rejection in the answer. */
    static Map<String, String> rejections(Bridge.Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, String> out = new LinkedHashMap<>();
        r.body().get("rejected").forEach(j -> out.put(j.get("host").asText(),
                j.get("filter").asText() + ": " + j.get("reason").asText()));
        return out;
    }

    /** The rejection of {@code host}, failing when there is none. */
    static JsonNode rejection(Bridge.Reply r, String host) {
        for (JsonNode j : r.body().get("rejected")) {
            if (j.get("host").asText().equals(host)) {
                return j;
            }
        }
        throw new AssertionError(host + " was not rejected: " + r.text());
    }

    /** host → weighed entry of a select/weigh answer. */
    static Map<String, JsonNode> weighed(Bridge.Reply r) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        r.body().get("weighed").forEach(w -> out.put(w.get("host").asText(), w));
        return out;
    }

    static Bridge.Reply filter(Bridge bridge, String body) throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/filter", Bridge.SERVICE, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    /** POST /v1/weigh: the only answer that carries each weigher's raw score ({@code raw}). */
    static Bridge.Reply weigh(Bridge bridge, String body) throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/weigh", Bridge.SERVICE, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    static Bridge.Reply select(Bridge bridge, String body) throws Exception {
        Bridge.Reply r = bridge.select(body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    /** PATCH /v1/policies/{name} as admin; the change must be accepted. */
    static JsonNode patch(Bridge bridge, String policy, String body) throws Exception {
        Bridge.Reply r = bridge.admin("PATCH", "/v1/policies/" + policy, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    static void put(Bridge bridge, String cluster) throws Exception {
        Bridge.Reply r = bridge.admin("PUT", "/v1/cluster", cluster);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /** One profiler report of {@code host} through POST /v1/hosts/{host}/samples. */
    static void sample(Bridge bridge, String host, String fields) throws Exception {
        Bridge.Reply r = bridge.send("POST", "/v1/hosts/" + host + "/samples", Bridge.SERVICE, "{" + fields + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    /** A one-instance request for a 1 vCPU / 1 GiB VM with the given extra spec fields. */
    static String vm(String extra) {
        return "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1024, \"disk_gb\": 10}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}}";
    }
}
