package io.playbill.ledger.publishing;

import io.playbill.service.axon.TokenTables;
import io.playbill.service.kafka.AuthenticatedKafka;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.ConfirmationMode;
import org.axonframework.extensions.kafka.eventhandling.producer.DefaultProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/**
 * Tunes the Axon Kafka extension's publisher, the pooled streaming processor that reads the event store and sends
 * every event to {@code playbill.ledger-events} (it waits for the broker's acks before it moves its token, so
 * nothing is lost; a crash re-publishes, and readers skip duplicates).
 *
 * <p>Its default batch is one event: one token-update transaction per event, which made the publisher a large share
 * of the ledger's CPU (docs/performance.md has the figures). A batch takes whatever has arrived, up to
 * {@code playbill.ledger.publisher-batch-size}, so a quiet ledger does not wait for a batch to fill; its events are
 * sent together and their acks waited for once ({@link BatchAcknowledgedPublisher}, decision 050).
 */
@Configuration
class EventPublishingConfiguration {

    /**
     * The publisher's segments, made by the Flyway migrations ({@code V5__publisher_token_segments.sql}, and
     * {@code V7__publisher_two_segments.sql}, which merged V5's 16) rather than by the first instance to start (two
     * instances starting together on a fresh database raced to insert them). Two: one per instance when two run,
     * and every segment costs the processor's coordinator work per event (decision 032).
     */
    static final int SEGMENTS = 2;

    @Bean
    ConfigurerModule publisherBatching(@Value("${playbill.ledger.publisher-batch-size}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(KafkaEventPublisher.DEFAULT_PROCESSING_GROUP,
                        (config, builder) -> builder.batchSize(batchSize).initialSegmentCount(SEGMENTS)));
    }

    /**
     * The event store the publisher reads: Axon's embedded one without its shared reader thread and cache
     * ({@link UncachedEventStore}, decision 045). The publisher's processor reads it at once while it finds events and
     * otherwise every half second. It replaces Axon Spring Boot's, which is made only when no event bus is.
     */
    @Bean(name = "eventBus")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon) {
        return new UncachedEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class)));
    }

    /**
     * The publisher's tokens (its position in the event store per segment, and which instance claims it): Axon's JDBC
     * token store on the table its JPA store made (V1, V5), so that moving a token after each batch is two plain
     * statements instead of a Hibernate entity load and flush (decision 031).
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connections, @Qualifier("serializer") Serializer serializer) {
        return TokenTables.jdbcTokenStore(connections, serializer);
    }

    /**
     * Start-up refuses a broker anyone could write to, outside dev mode (decision 053): every client of the ledger,
     * this publisher's included, with Axon's settings on top.
     */
    @Bean
    AuthenticatedKafka authenticatedLedgerKafka(KafkaProperties spring, ObjectProvider<SslBundles> ssl,
            org.axonframework.extensions.kafka.KafkaProperties axon,
            @Value("${playbill.dev-mode:false}") boolean devMode) {
        return AuthenticatedKafka.of("command-service", spring, ssl, devMode,
                List.of(publisherSettings(spring, ssl, axon)));
    }

    private static Map<String, Object> publisherSettings(KafkaProperties spring, ObjectProvider<SslBundles> ssl,
            org.axonframework.extensions.kafka.KafkaProperties axon) {
        Map<String, Object> config = spring.buildProducerProperties(ssl.getIfAvailable());
        Map<String, Object> own = axon.buildProducerProperties();
        own.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        config.putAll(own);
        return config;
    }

    /**
     * The publisher's producer, configured like every other Kafka client of the ledger: connection and security
     * from {@code spring.kafka.*} (bootstrap servers, {@code security.protocol}, {@code sasl.*}, {@code ssl.*},
     * producer settings), then Axon's own {@code axon.kafka.*} (client id, serializers) on top. Axon's
     * auto-configured factory reads {@code axon.kafka.*} only, so it would ignore the cluster's security settings.
     */
    @Bean
    ProducerFactory<String, byte[]> axonKafkaProducerFactory(KafkaProperties spring, ObjectProvider<SslBundles> ssl,
            org.axonframework.extensions.kafka.KafkaProperties axon) {
        Map<String, Object> config = publisherSettings(spring, ssl, axon);
        // The events topic is kept forever (replays and audits read it from the start): zstd batches take a
        // fraction of the disk (docs/operations.md, "Capacity plan"). A setting of either kind above wins.
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        // The publisher sends a batch's events without waiting between them (BatchAcknowledgedPublisher): only an
        // idempotent producer keeps one partition's records in their order through the broker's retries. It needs
        // acks from all in-sync replicas, which "nothing is lost" needs anyway; set both, so that another acks
        // setting cannot make the producer refuse its configuration and every event be parked.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        DefaultProducerFactory.Builder<String, byte[]> factory = DefaultProducerFactory.<String, byte[]>builder()
                .configuration(config)
                .confirmationMode(axon.getPublisher().getConfirmationMode());
        String transactionalIdPrefix = axon.getProducer().getTransactionIdPrefix();
        if (transactionalIdPrefix != null && !transactionalIdPrefix.isBlank()) {
            factory.transactionalIdPrefix(transactionalIdPrefix).confirmationMode(ConfirmationMode.TRANSACTIONAL);
        }
        return factory.build();
    }

    /**
     * The publisher of the events: one wait for acks per batch ({@link BatchAcknowledgedPublisher}, decision 050)
     * when it waits for acks, as configured here; Axon's own for the other confirmation modes. Axon's
     * auto-configuration makes its {@code KafkaEventPublisher} handler with this one.
     */
    @Bean(destroyMethod = "shutDown")
    @SuppressWarnings("unchecked")
    KafkaPublisher<String, byte[]> kafkaPublisher(ProducerFactory<String, byte[]> axonKafkaProducerFactory,
            KafkaMessageConverter<?, ?> converter, TopicResolver topics) {
        // Axon's auto-configured converter is declared with wildcards; it converts to the producer's types.
        KafkaMessageConverter<String, byte[]> records = (KafkaMessageConverter<String, byte[]>) converter;
        if (axonKafkaProducerFactory.confirmationMode().isWaitForAck()) {
            return new BatchAcknowledgedPublisher(axonKafkaProducerFactory, records, topics);
        }
        return KafkaPublisher.<String, byte[]>builder()
                .producerFactory(axonKafkaProducerFactory)
                .messageConverter(records)
                .topicResolver(topics)
                .build();
    }
}
