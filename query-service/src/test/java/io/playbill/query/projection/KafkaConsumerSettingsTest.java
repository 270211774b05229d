package io.playbill.query.projection;

import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Every consumer of query-service is configured from {@link KafkaConsumerSettings}; none pushes telemetry. */
class KafkaConsumerSettingsTest extends QueryServiceTest {

    @Autowired
    private KafkaConsumerSettings settings;

    @Test
    void noConsumerPushesTelemetry() {
        // KIP-714's reporter formats log text on every network poll of a client that has it on.
        assertThat(settings.newConfig()).containsEntry("enable.metrics.push", "false");
    }
}
