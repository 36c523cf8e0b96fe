package io.placewise.bridge.nova.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.bridge.nova.notify.RabbitTransportUrl.Broker;
import org.junit.jupiter.api.Test;

class RabbitTransportUrlTest {
    @Test
    void novasTransportUrlWithOneBrokerAndTheDefaultVhost() {
        RabbitTransportUrl u = RabbitTransportUrl.parse("rabbit://nova:s3cret@controller:5672/");
        assertThat(u.brokers()).containsExactly(new Broker("controller", 5672, "nova", "s3cret"));
        assertThat(u.virtualHost()).isEqualTo("/");
        assertThat(u.toString()).doesNotContain("s3cret").contains("nova:***@controller:5672");
    }

    @Test
    void aClusterOfBrokersAVhostEscapedCredentialsAndDefaults() {
        RabbitTransportUrl u = RabbitTransportUrl.parse("rabbit://nova:p%40ss@rmq1:5673,nova:p%40ss@rmq2,[fd00::3]:5674/nova%2Fprod?ssl=1");
        assertThat(u.brokers()).containsExactly(new Broker("rmq1", 5673, "nova", "p@ss"), new Broker("rmq2", 5672, "nova", "p@ss"),
                new Broker("fd00::3", 5674, "guest", "guest"));
        assertThat(u.virtualHost()).isEqualTo("nova/prod");
    }

    @Test
    void whatIsNotARabbitUrlIsRefusedWithoutRepeatingThePassword() {
        assertThatThrownBy(() -> RabbitTransportUrl.parse("kafka://u:pw@h:9092/")).hasMessageContaining("kafka")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RabbitTransportUrl.parse("controller:5672")).hasMessageContaining("rabbit://");
        assertThatThrownBy(() -> RabbitTransportUrl.parse("rabbit://u:pw@h:notaport/")).hasMessageContaining("not a number")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> RabbitTransportUrl.parse("rabbit://u:pw@h:70000/")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> RabbitTransportUrl.parse("rabbit://u:pw@h1,,h2/")).hasMessageContaining("empty");
    }
}
