package io.playbill.ledger.publishing;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tunes the Axon Kafka extension's publisher, the pooled streaming processor that reads the event store and sends
 * every event to {@code playbill.ledger-events} (it waits for the broker's acks before it moves its token, so
 * nothing is lost; a crash re-publishes, and readers skip duplicates).
 *
 * <p>Its default batch is one event: one token-update transaction and one wait for acks per event, which made
 * the publisher a third of the ledger's CPU at 100 renews/s (docs/performance.md). A batch takes whatever has
 * arrived, up to {@code playbill.ledger.publisher-batch-size}, so an idle ledger still publishes at once.
 */
@Configuration
class EventPublishingConfiguration {

    @Bean
    ConfigurerModule publisherBatching(@Value("${playbill.ledger.publisher-batch-size}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(KafkaEventPublisher.DEFAULT_PROCESSING_GROUP,
                        (config, builder) -> builder.batchSize(batchSize)));
    }
}
