package io.playbill.gateway.ledger;

import io.playbill.gateway.support.UnderModeGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every Kafka client of the gateway is built from {@code spring.kafka.*}; none of them pushes telemetry. */
class KafkaClientSettingsTest extends UnderModeGatewayTest {

    @Autowired
    private KafkaProperties kafka;

    @Test
    void noKafkaClientPushesTelemetry() {
        // KIP-714's reporter formats log text on every network poll of a client that has it on.
        List<Map<String, Object>> clients = List.of(kafka.buildProducerProperties(null),
                kafka.buildConsumerProperties(null), kafka.buildAdminProperties(null));

        assertThat(clients).allSatisfy(config -> assertThat(config).containsEntry("enable.metrics.push", "false"));
    }
}
