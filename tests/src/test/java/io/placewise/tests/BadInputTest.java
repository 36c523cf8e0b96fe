package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a problem+json 4xx naming the field, and nothing stored changes (API.md). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    @TempDir
    static Path dir;
    Bridge bridge;
    String clusterBefore;
    String pm2Before;
    String policiesBefore;

    @BeforeAll
    void start() throws Exception {
        bridge = new Bridge(dir);
        assertThat(bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS).status()).isEqualTo(200);
        bridge.send("POST", "/v1/hosts/pm2/samples", Bridge.SERVICE, "{\"cpu_util\": 0.4}");
        clusterBefore = bridge.get("/v1/cluster", Bridge.READER).text();
        pm2Before = bridge.get("/v1/hosts/pm2", Bridge.READER).text();
        policiesBefore = bridge.get("/v1/policies", Bridge.READER).text();
    }

    @AfterAll
    void stop() {
        bridge.close();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // method, path, body, status, field named (or null)
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [", 400, null),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": \"eight\", \"memory_mb\": 1}}]}", 400, "hosts[0].capacity.vcpus"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": 2.5, \"memory_mb\": 1}}]}", 400, "hosts[0].capacity.vcpus"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": -8, \"memory_mb\": 1024}}]}", 422, "hosts[0].capacity.vcpus"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\"}]}", 422, "hosts[0].capacity"),
                Arguments.of("PUT", "/v1/cluster", "{\"vms\": []}", 422, "hosts"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 1024}}],"
                        + " \"vms\": [{\"id\": \"v\", \"host\": \"nowhere\", \"vcpus\": 1, \"memory_mb\": 1}]}", 422, "vms[0].host"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 1024}}],"
                        + " \"vms\": [{\"id\": \"v\", \"host\": \"x\", \"vcpus\": 1, \"memory_mb\": 1, \"workload\": \"gpu\"}]}", 422, "vms[0].workload"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\", \"capacity\": {\"vcpus\": 8, \"memory_mb\": 1024}, \"cpu_util\": 1.5}]}", 422, "hosts[0].cpu_util"),
                Arguments.of("PUT", "/v1/cluster", "{\"hosts\": [], \"traffic\": [{\"src\": \"a\", \"dst\": \"b\", \"mbps\": 1}]}", 422, "traffic[0].src"),
                Arguments.of("PUT", "/v1/cluster", "", 400, null),
                Arguments.of("PUT", "/v1/cluster", "[1, 2]", 400, null),
                Arguments.of("POST", "/v1/select", "{\"spec\": {\"flavor\": {\"vcpus\": 1}}}", 422, "spec.flavor.memory_mb"),
                Arguments.of("POST", "/v1/select", "{\"hosts\": [\"pm1\"]}", 422, "spec"),
                Arguments.of("POST", "/v1/select", "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1}}, \"hosts\": [\"pm9\"]}", 422, "hosts[0]"),
                Arguments.of("POST", "/v1/select", "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1}, \"group\": {\"policy\": \"together\"}}}", 422, "spec.group.policy"),
                Arguments.of("POST", "/v1/select", "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1}, \"traffic\": [{\"peer\": \"ghost\", \"mbps\": 5}]}}", 422, "spec.traffic[0].peer"),
                Arguments.of("POST", "/v1/select", "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1}}, \"num_instances\": 0}", 422, "num_instances"),
                Arguments.of("POST", "/v1/filter", "{\"spec\": {\"flavor\": {\"vcpus\": true, \"memory_mb\": 1}}}", 400, "spec.flavor.vcpus"),
                Arguments.of("POST", "/v1/weigh", "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1}}, \"hosts\": [42]}", 422, "hosts[0]"),
                Arguments.of("POST", "/v1/hosts/pm2/samples", "{\"cpu_util\": \"high\"}", 400, "cpu_util"),
                Arguments.of("POST", "/v1/hosts/pm2/samples", "{\"cpu_util\": -0.1}", 422, "cpu_util"),
                Arguments.of("POST", "/v1/hosts/pm2/samples", "{\"vms\": [{\"id\": \"newvm\"}]}", 422, "vms[0].vcpus"),
                Arguments.of("POST", "/v1/hosts/pm2/samples", "{\"traffic\": [{\"src\": \"web1\", \"dst\": \"ghost\", \"mbps\": 1}]}", 422, "traffic[0].dst"),
                Arguments.of("POST", "/v1/hosts/pm2/samples", "{\"at\": \"yesterday\"}", 400, "at"),
                Arguments.of("POST", "/v1/hosts/nohost/samples", "{\"cpu_util\": 0.5}", 404, null),
                Arguments.of("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": \"big\"}", 400, "multiplier"),
                Arguments.of("PATCH", "/v1/policies/BalanceWeigher", "{\"enabeld\": false}", 400, "enabeld"),
                Arguments.of("PATCH", "/v1/policies/CapacityFilter", "{\"multiplier\": 2}", 422, "multiplier"),
                Arguments.of("PATCH", "/v1/policies/CapacityFilter", "{\"params\": {\"cpu_allocation_ratio\": \"lots\"}}", 422, "params.cpu_allocation_ratio"),
                Arguments.of("PATCH", "/v1/policies/CapacityFilter", "{\"params\": {\"no_such\": 1}}", 422, "params.no_such"),
                Arguments.of("PATCH", "/v1/policies/NoSuchPolicy", "{\"enabled\": false}", 404, null));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("badRequests")
    void isRefusedClearlyAndChangesNothing(String method, String path, String body, int status, String field) throws Exception {
        Bridge.Reply r = bridge.send(method, path, Bridge.ADMIN, body);

        assertThat(r.status()).isEqualTo(status);
        assertThat(r.isProblem()).as("content type %s", r.contentType()).isTrue();
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("title").asText()).isNotBlank();
        assertThat(r.body().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(r.body().get("errors").findValuesAsText("field")).contains(field);
            for (JsonNode e : r.body().get("errors")) {
                assertThat(e.get("message").asText()).isNotBlank();
            }
        }
        assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(clusterBefore);
        assertThat(bridge.get("/v1/hosts/pm2", Bridge.READER).text()).isEqualTo(pm2Before);
        assertThat(bridge.get("/v1/policies", Bridge.READER).text()).isEqualTo(policiesBefore);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routingErrors")
    void routingErrorsAreProblemsToo(String method, String path, int status) throws Exception {
        Bridge.Reply r = bridge.send(method, path, Bridge.ADMIN, method.equals("GET") || method.equals("DELETE") ? null : "{}");
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.isProblem()).isTrue();
    }

    static Stream<Arguments> routingErrors() {
        return Stream.of(Arguments.of("GET", "/v1/nothing", 404), Arguments.of("DELETE", "/v1/cluster", 405),
                Arguments.of("GET", "/v1/hosts/nohost", 404), Arguments.of("GET", "/v1/policies/Nope", 404));
    }
}
