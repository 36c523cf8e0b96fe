package io.placewise.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** WireMock playing Keystone v3 for the suites that stand in for Nova: a token whose catalog points at its compute API. */
final class Keystone {
    private Keystone() {
    }

    /** {@code POST /identity/v3/auth/tokens}: a token valid for an hour, Nova's endpoint at {@code baseUrl}/compute/v2.1. */
    static MappingBuilder issuesTokens(String baseUrl) {
        String expires = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        return post("/identity/v3/auth/tokens").willReturn(aResponse().withStatus(201).withHeader("X-Subject-Token", "tok")
                .withHeader("Content-Type", "application/json").withBody("""
                        {"token": {"expires_at": "%s", "catalog": [{"type": "compute", "endpoints": [
                          {"interface": "public", "region_id": "RegionOne", "url": "%s/compute/v2.1"}]}]}}"""
                        .formatted(expires, baseUrl)));
    }
}
