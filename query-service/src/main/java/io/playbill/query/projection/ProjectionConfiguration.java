package io.playbill.query.projection;

import io.playbill.service.axon.TokenTables;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The query service has no event store of its own: one tracking processor on the ledger-events topic
 * ({@link StreamableKafkaMessageSource}) keeps every projection up to date, with its token in {@code token_entry}
 * next to the tables (replays rebuild outside Axon, see the replay package).
 */
@Configuration
class ProjectionConfiguration {

    /** The aggregate type of an event the extension's converter dropped; the projections do not read it. */
    private static final String DROPPED_EVENT_TYPE = "UserAccount";

    /** A plain event bus keeps Axon from creating an event store here. */
    @Bean
    EventBus eventBus() {
        return SimpleEventBus.builder().build();
    }

    /** Axon's JDBC token store with the snake_case table of our Flyway schema. */
    @Bean
    TokenStore tokenStore(ConnectionProvider connections, @Qualifier("serializer") Serializer serializer) {
        return TokenTables.jdbcTokenStore(connections, serializer);
    }

    /**
     * The ledger-events topic as the processors' source: the extension's own source, but with records handed over in
     * fetch order ({@link ArrivalOrderBuffer}) so that every processor's token is exactly what it has processed.
     */
    @Bean
    StreamableKafkaMessageSource<String, byte[]> streamableKafkaMessageSource(KafkaProperties kafka,
            ConsumerFactory<String, byte[]> consumers, Fetcher<String, byte[], KafkaEventMessage> fetcher,
            KafkaMessageConverter<String, byte[]> converter, @Qualifier("eventSerializer") Serializer serializer,
            TopicRecords records) {
        return StreamableKafkaMessageSource.<String, byte[]>builder()
                .topics(List.of(kafka.getDefaultTopic()))
                .serializer(serializer)
                .consumerFactory(consumers)
                .fetcher(fetcher)
                .messageConverter(withRecordPositions(converter, records))
                .bufferFactory(() -> new ArrivalOrderBuffer(kafka.getFetcher().getBufferSize()))
                .build();
    }

    /**
     * The extension's converter, with each event's partition and offset added to its metadata: a parked event shows
     * where its record lies. A ledger event the extension's converter drops (it answers nothing for a record without
     * a value, a tombstone, and for any failure of its own, with only a trace log) is read as a replay reads it
     * ({@link TopicRecords#decodeOrMark}), so that it is parked, not skipped while the user's later events go on.
     */
    private static KafkaMessageConverter<String, byte[]> withRecordPositions(
            KafkaMessageConverter<String, byte[]> converter, TopicRecords records) {
        return new KafkaMessageConverter<>() {
            @Override
            public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
                return converter.createKafkaMessage(eventMessage, topic);
            }

            @Override
            public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
                Optional<EventMessage<?>> read = converter.readKafkaMessage(record);
                if (read.isEmpty()) {
                    read = records.decodeOrMark(record).map(event -> new GenericDomainEventMessage<>(
                            DROPPED_EVENT_TYPE, event.aggregateId(), event.sequence(), event.payload(),
                            MetaData.emptyInstance(), event.eventId(), event.timestamp()));
                }
                return read.map(message -> message.andMetaData(Map.of(
                        ProjectionEventHandler.PARTITION, record.partition(),
                        ProjectionEventHandler.OFFSET, record.offset())));
            }
        };
    }

    /**
     * Registers the live processor with every projection's projector on the live tables. It starts from the
     * beginning of the topic when it has no token. An event a projector cannot apply is parked ({@link PoisonGuard});
     * any other failure propagates: the batch rolls back and is retried, so no event is ever skipped silently. An
     * event that cannot even be decoded is parked too ({@link UndecodableEvents}).
     */
    @Bean
    ConfigurerModule projectionProcessor(List<ProjectorFactory> projectors,
                                         ObjectProvider<StreamableKafkaMessageSource<String, byte[]>> ledgerEvents,
                                         ProjectionMeters meters, PoisonGuard guard, UndecodableEvents undecodable,
                                         @Value("${playbill.projections.batch-size:500}") int batchSize) {
        Map<Projection, Projector> live = new EnumMap<>(Projection.class);
        projectors.forEach(factory -> live.put(factory.projection(), factory.create(ProjectionTables.LIVE)));
        ProjectionEventHandler handler = new ProjectionEventHandler(Projection.LIVE_PROCESSOR, live, guard, meters);
        String name = Projection.LIVE_PROCESSOR;
        return configurer -> configurer.eventProcessing(processing -> processing
                // The source is looked up when Axon builds the processor: it depends on Axon's configuration itself.
                .registerTrackingEventProcessor(name, c -> ledgerEvents.getObject(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andBatchSize(batchSize)
                        // A plain position, not Axon's default replay-wrapped tail (a token merge per event).
                        .andInitialTrackingToken(source -> KafkaTrackingToken.emptyToken())
                        // How often a free segment is claimed, e.g. once a replay's swap released it.
                        .andTokenClaimInterval(1, TimeUnit.SECONDS))
                .registerEventHandler(c -> handler)
                .assignHandlerInstancesMatching(name, candidate -> candidate == handler)
                .registerListenerInvocationErrorHandler(name, c -> undecodable));
    }
}
