package io.playbill.ledger.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The intake's batch size stays within what the publisher waits for (decision 054). */
class IntakeBatchSizeTest {

    @Test
    void aBatchWhoseEventsThePublisherCouldSkipIsRefusedAtStartUp() {
        assertThatCode(() -> check(Map.of("max.poll.records", 100))).doesNotThrowAnyException();
        assertThatCode(() -> check(Map.of("max.poll.records", 208))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(Map.of("max.poll.records", 209)))
                .hasMessageContaining("use at most 208");
        assertThatThrownBy(() -> check(Map.of()))
                .as("Kafka's default, 500").hasMessageContaining("max.poll.records is 500");
    }

    @Test
    void aBatchSizeSetAsARawKafkaPropertyIsJudgedLikeTheNamedSetting() {
        KafkaProperties consumerRaw = new KafkaProperties();
        consumerRaw.getConsumer().setMaxPollRecords(100);
        consumerRaw.getConsumer().getProperties().put("max.poll.records", "400");
        assertThatThrownBy(() -> LedgerConfiguration.requireBatchesWithinGapOffset(
                consumerRaw.buildConsumerProperties(null)))
                .as("spring.kafka.consumer.properties wins over max-poll-records in the consumer Spring makes")
                .hasMessageContaining("max.poll.records is 400");

        KafkaProperties common = new KafkaProperties();
        common.getProperties().put("max.poll.records", "300");
        assertThatThrownBy(() -> LedgerConfiguration.requireBatchesWithinGapOffset(
                common.buildConsumerProperties(null)))
                .as("spring.kafka.properties").hasMessageContaining("max.poll.records is 300");

        KafkaProperties named = new KafkaProperties();
        named.getConsumer().setMaxPollRecords(100);
        assertThatCode(() -> LedgerConfiguration.requireBatchesWithinGapOffset(named.buildConsumerProperties(null)))
                .doesNotThrowAnyException();
    }

    private static void check(Map<String, Object> settings) {
        LedgerConfiguration.requireBatchesWithinGapOffset(settings);
    }
}
