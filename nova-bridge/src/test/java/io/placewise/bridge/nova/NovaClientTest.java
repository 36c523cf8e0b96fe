package io.placewise.bridge.nova;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.placewise.bridge.config.NovaConfig;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Nova client against WireMock playing Keystone and Nova. */
class NovaClientTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SERVER = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    final TestClock clock = new TestClock();

    NovaConfig config(String iface, String region, String microversion) {
        return new NovaConfig(wm.baseUrl() + "/identity", "placewise", "s3cret", "service", "Default", "Default",
                region, iface, microversion, 0.01, 5, 3600, 3);
    }

    NovaClient client(NovaConfig c) {
        return new NovaClient(c, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), clock, Duration.ofMillis(1));
    }

    NovaClient client() {
        return client(config("public", "RegionOne", "2.60"));
    }

    static String tokenBody(Instant expires) {
        String base = wm.baseUrl();
        return """
                {"token": {"expires_at": "%s", "methods": ["password"],
                  "catalog": [
                    {"type": "identity", "name": "keystone", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "%s/identity/v3"}]},
                    {"type": "compute", "name": "nova", "endpoints": [
                      {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "%s/compute/v2.1"},
                      {"interface": "internal", "region_id": "RegionOne", "region": "RegionOne", "url": "%s/internal/v2.1/"},
                      {"interface": "public", "region_id": "RegionTwo", "region": "RegionTwo", "url": "%s/r2/v2.1"}]}]}}"""
                .formatted(expires.toString().replace("Z", ".000000Z"), base, base, base, base);
    }

    void keystoneIssues(String token) {
        wm.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("X-Subject-Token", token)
                .withBody(tokenBody(T0.plus(Duration.ofHours(1))))));
    }

    static final String HYPERVISORS = """
            {"hypervisors": [
              {"id": "b1e43b5f-eec1-44e0-9f10-7b4945c0226d", "hypervisor_hostname": "cmp-001.example", "state": "up", "status": "enabled",
               "vcpus": 32, "memory_mb": 131072, "local_gb": 2000, "vcpus_used": 4, "service": {"host": "cmp-001", "id": "s1"}},
              {"id": "c2e43b5f-eec1-44e0-9f10-7b4945c0226e", "hypervisor_hostname": "cmp-002.example", "state": "up", "status": "disabled",
               "vcpus": 16, "memory_mb": 65536, "local_gb": 1000, "service": {"host": "cmp-002", "id": "s2", "disabled_reason": "maintenance"}}
            ]}""";

    @BeforeEach
    void keystone() {
        keystoneIssues("tok-1");
    }

    @Test
    void availabilityZonesAreReadPerComputeHost() {
        wm.stubFor(get("/compute/v2.1/os-availability-zone/detail").willReturn(okJson("""
                {"availabilityZoneInfo": [
                  {"zoneName": "internal", "zoneState": {"available": true},
                   "hosts": {"ctl-1": {"nova-scheduler": {"available": true, "active": true}}}},
                  {"zoneName": "az-a", "zoneState": {"available": true},
                   "hosts": {"cmp-001": {"nova-compute": {"available": true, "active": true}}}},
                  {"zoneName": "nova", "zoneState": {"available": true},
                   "hosts": {"cmp-002": {"nova-compute": {"available": false, "active": true}}}}]}""")));

        assertThat(client().availabilityZones()).containsExactly(Map.entry("cmp-001", "az-a"), Map.entry("cmp-002", "nova"));
    }

    @Test
    void theTokenIsIssuedOnceWithThePasswordAndReusedUntilItNearlyExpires() {
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson(HYPERVISORS)));
        NovaClient nova = client();

        assertThat(nova.hypervisors()).hasSize(2);
        assertThat(nova.hypervisors()).hasSize(2);
        wm.verify(1, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens"))
                .withRequestBody(matchingJsonPath("$.auth.identity.methods[0]", equalTo("password")))
                .withRequestBody(matchingJsonPath("$.auth.identity.password.user.name", equalTo("placewise")))
                .withRequestBody(matchingJsonPath("$.auth.identity.password.user.password", equalTo("s3cret")))
                .withRequestBody(matchingJsonPath("$.auth.identity.password.user.domain.name", equalTo("Default")))
                .withRequestBody(matchingJsonPath("$.auth.scope.project.name", equalTo("service"))));
        wm.verify(2, getRequestedFor(urlEqualTo("/compute/v2.1/os-hypervisors/detail"))
                .withHeader("X-Auth-Token", equalTo("tok-1")).withHeader("X-OpenStack-Nova-API-Version", equalTo("2.60")));

        // 59 minutes 30 seconds later the token is within the renewal margin of its expiry.
        clock.now.set(T0.plus(Duration.ofMinutes(59)).plusSeconds(30));
        nova.hypervisors();
        wm.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndTheCallRepeated() {
        wm.stubFor(post("/identity/v3/auth/tokens").inScenario("keystone").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-old")
                        .withHeader("Content-Type", "application/json").withBody(tokenBody(T0.plus(Duration.ofHours(1)))))
                .willSetStateTo("renewed"));
        wm.stubFor(post("/identity/v3/auth/tokens").inScenario("keystone").whenScenarioStateIs("renewed")
                .willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok-new")
                        .withHeader("Content-Type", "application/json").withBody(tokenBody(T0.plus(Duration.ofHours(1))))));
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").withHeader("X-Auth-Token", equalTo("tok-old"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\": {\"message\": \"The request you have made requires authentication.\", \"code\": 401}}")));
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").withHeader("X-Auth-Token", equalTo("tok-new"))
                .willReturn(okJson(HYPERVISORS)));

        assertThat(client().hypervisors()).extracting(NovaResources.Hypervisor::host).containsExactly("cmp-001", "cmp-002");
        wm.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
    }

    @Test
    void aTokenRejectedTwiceIsAnErrorNotALoop() {
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(aResponse().withStatus(401)));
        assertThatThrownBy(() -> client().hypervisors()).isInstanceOf(NovaApiException.Unauthorized.class)
                .hasMessageContaining("401").hasMessageNotContaining("tok-1");
        wm.verify(2, postRequestedFor(urlEqualTo("/identity/v3/auth/tokens")));
        wm.verify(2, getRequestedFor(urlEqualTo("/compute/v2.1/os-hypervisors/detail")));
    }

    @Test
    void wrongCredentialsSaySoWithoutThePassword() {
        wm.stubFor(post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": {\"code\": 401, \"message\": \"The request you have made requires authentication.\"}}")));
        assertThatThrownBy(() -> client().hypervisors()).isInstanceOf(NovaApiException.Unauthorized.class)
                .hasMessageContaining("placewise").hasMessageNotContaining("s3cret");
    }

    @Test
    void theComputeEndpointComesFromTheCatalogByInterfaceAndRegion() {
        wm.stubFor(get("/internal/v2.1/os-hypervisors/detail").willReturn(okJson("{\"hypervisors\": []}")));
        wm.stubFor(get("/r2/v2.1/os-hypervisors/detail").willReturn(okJson(HYPERVISORS)));

        assertThat(client(config("internal", "RegionOne", "2.60")).hypervisors()).isEmpty();
        assertThat(client(config("public", "RegionTwo", "2.60")).hypervisors()).hasSize(2);
        assertThatThrownBy(() -> client(config("admin", "RegionOne", "2.60")).hypervisors())
                .hasMessageContaining("no compute endpoint with interface 'admin' in region 'RegionOne'");
    }

    @Test
    void hypervisorsAndTheirServersBecomeTheClusterSnapshot() {
        wm.stubFor(get("/compute/v2.1/os-hypervisors/detail").willReturn(okJson(HYPERVISORS)));
        wm.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1").willReturn(okJson("""
                {"servers": [
                  {"id": "vm-a", "name": "db", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                   "flavor": {"vcpus": 4, "ram": 8192, "disk": 40, "ephemeral": 10, "swap": 0, "original_name": "io.large",
                              "extra_specs": {"placewise:workload": "disk_io", "placewise:nonsharable": "disk, llc"}}},
                  {"id": "vm-b", "name": "web", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                   "flavor": {"vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "original_name": "m1.tiny", "extra_specs": {}}}],
                 "servers_links": [{"rel": "next", "href": "%s/compute/v2.1/servers/detail?all_tenants=1&marker=vm-b"}]}"""
                .formatted(wm.baseUrl()))));
        wm.stubFor(get("/compute/v2.1/servers/detail?all_tenants=1&marker=vm-b").willReturn(okJson("""
                {"servers": [
                  {"id": "vm-c", "status": "ACTIVE", "OS-EXT-SRV-ATTR:host": "cmp-001",
                   "flavor": {"vcpus": 2, "ram": 2048, "disk": 20, "ephemeral": 0, "extra_specs": {"placewise:workload": "bogus"}}},
                  {"id": "vm-building", "status": "BUILD", "OS-EXT-SRV-ATTR:host": null,
                   "flavor": {"vcpus": 2, "ram": 2048, "disk": 20, "ephemeral": 0, "extra_specs": {}}}]}""")));
        wm.stubFor(get(urlPathEqualTo("/compute/v2.1/os-server-groups")).willReturn(okJson("{\"server_groups\": []}")));

        ClusterSnapshot s = NovaClusterSync.merge(new NovaClusterSync(client()).fetch(), ClusterSnapshot.EMPTY);

        Host h1 = s.host("cmp-001");
        assertThat(h1.capacity().vcpus()).isEqualTo(32);
        assertThat(h1.capacity().memoryMb()).isEqualTo(131072);
        assertThat(h1.capacity().diskGb()).isEqualTo(2000);
        assertThat(h1.enabled()).isTrue();
        assertThat(s.host("cmp-002").enabled()).as("disabled in Nova").isFalse();
        Vm a = s.vm("vm-a");
        assertThat(a.host()).isEqualTo("cmp-001");
        assertThat(a.vcpus()).isEqualTo(4);
        assertThat(a.memoryMb()).isEqualTo(8192);
        assertThat(a.diskGb()).as("root + ephemeral").isEqualTo(50);
        assertThat(a.workload()).isEqualTo(WorkloadClass.DISK_IO);
        assertThat(a.nonsharable()).isEqualTo(Set.of("disk", "llc"));
        assertThat(s.vm("vm-b").workload()).isEqualTo(WorkloadClass.MIXED);
        assertThat(s.vm("vm-c").workload()).as("an unknown class is not fatal").isEqualTo(WorkloadClass.MIXED);
        assertThat(s.usage("cmp-001").vcpus()).isEqualTo(7);
        assertThat(s.vm("vm-building")).as("not on a host yet").isNull();
        wm.verify(getRequestedFor(urlPathEqualTo("/compute/v2.1/servers/detail")).withHeader("X-OpenStack-Nova-API-Version", equalTo("2.60")));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenSucceed() {
        String path = "/compute/v2.1/os-hypervisors/detail";
        wm.stubFor(get(path).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("again"));
        wm.stubFor(get(path).inScenario("flaky").whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        wm.stubFor(get(path).inScenario("flaky").whenScenarioStateIs("ok").willReturn(okJson(HYPERVISORS)));

        assertThat(client().hypervisors()).hasSize(2);
        wm.verify(3, getRequestedFor(urlEqualTo(path)));
    }

    @Test
    void retriesAreBounded() {
        String path = "/compute/v2.1/os-hypervisors/detail";
        wm.stubFor(get(path).willReturn(aResponse().withStatus(500)
                .withBody("{\"computeFault\": {\"code\": 500, \"message\": \"Unexpected API Error.\"}}")));
        assertThatThrownBy(() -> client().hypervisors()).isInstanceOf(NovaApiException.Unavailable.class)
                .hasMessageContaining("Unexpected API Error.").hasMessageContaining("after 4 attempts");
        wm.verify(4, getRequestedFor(urlEqualTo(path)));
    }

}
