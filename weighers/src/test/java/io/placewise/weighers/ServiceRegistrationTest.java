package io.placewise.weighers;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.scheduler.PolicyCatalog;
import org.junit.jupiter.api.Test;

/** The weighers are found by ServiceLoader, as the bridge finds them. */
class ServiceRegistrationTest {
    @Test
    void everyWeigherIsRegistered() {
        assertThat(PolicyCatalog.discover().weighers()).containsKeys("BalanceWeigher", "IdcNetworkBenefitWeigher",
                "HistoryMatchWeigher", "WorkloadAffinityWeigher");
    }
}
