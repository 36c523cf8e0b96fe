package io.placewise.filters;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.scheduler.PolicyCatalog;
import org.junit.jupiter.api.Test;

/** The filters are found by ServiceLoader, as the bridge finds them. */
class ServiceRegistrationTest {
    @Test
    void everyFilterIsRegistered() {
        assertThat(PolicyCatalog.discover().filters()).containsKeys(
                "ComputeFilter", "CapacityFilter", "AffinityFilter", "SameNonsharableResourceFilter", "HotspotFilter");
    }
}
