package io.playbill.query.support;

import io.playbill.ledger.api.events.PriceSet;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes ledger events the way the ledger does: into a {@code playbill_ledger}-shaped event store (Axon's JPA
 * columns, Jackson payloads) and onto the ledger-events topic with the Axon Kafka extension's converter.
 */
public final class LedgerFixture {

    /** The price list is one aggregate for the whole test JVM. */
    private static final AtomicLong PRICE_LIST_SEQUENCE = new AtomicLong();
    private static final String PRICE_LIST = PriceSet.STREAM;

    private final KafkaMessageConverter<String, byte[]> converter;
    private final Serializer serializer;
    private final Producer<String, byte[]> producer;
    private final JdbcTemplate ledger;
    private final String topic;

    LedgerFixture(KafkaMessageConverter<String, byte[]> converter, Serializer serializer,
                  Producer<String, byte[]> producer, JdbcTemplate ledger, String topic) {
        this.converter = converter;
        this.serializer = serializer;
        this.producer = producer;
        this.ledger = ledger;
        this.topic = topic;
    }

    public Account account(String userId) {
        return new Account(userId);
    }

    /**
     * The ledger-events partition of a user's events (they are keyed by user, as the ledger keys them): events of
     * two users on one partition reach a projection in the order they were published.
     */
    public int partitionOf(String userId) {
        int partitions = producer.partitionsFor(topic).size();
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public Event price(String queue, long pricePerMinute, Instant from) {
        return inPriceList(new PriceSet(queue, pricePerMinute, from.toEpochMilli(), "admin", null));
    }

    /** Any event of the price list's stream, stored and published. */
    public Event inPriceList(Object payload) {
        Event event = event("PriceList", PRICE_LIST, PRICE_LIST_SEQUENCE.getAndIncrement(), payload);
        store(event);
        publish(event);
        return event;
    }

    /** Publishes events again, as an at-least-once publisher does after a crash. */
    public void redeliver(List<Event> events) {
        events.forEach(this::publish);
    }

    /** Deletes a stored event and returns how to put it back. */
    public Runnable deleteStored(String aggregate, long sequence) {
        Map<String, Object> row = ledger.queryForMap("select * from domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = ?", aggregate, sequence);
        ledger.update("delete from domain_event_entry where aggregate_identifier = ? and sequence_number = ?",
                aggregate, sequence);
        return () -> ledger.update("insert into domain_event_entry (global_index, event_identifier, meta_data,"
                        + " payload, payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number,"
                        + " type) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.get("global_index"),
                row.get("event_identifier"), row.get("meta_data"), row.get("payload"), row.get("payload_revision"),
                row.get("payload_type"), row.get("time_stamp"), row.get("aggregate_identifier"),
                row.get("sequence_number"), row.get("type"));
    }

    private Event event(String type, String aggregate, long sequence, Object payload) {
        return new Event(new GenericDomainEventMessage<>(type, aggregate, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), Instant.now()));
    }

    private void store(Event event) {
        GenericDomainEventMessage<?> message = event.message();
        SerializedObject<byte[]> payload = serializer.serialize(message.getPayload(), byte[].class);
        SerializedObject<byte[]> metaData = serializer.serialize(message.getMetaData(), byte[].class);
        ledger.update("insert into domain_event_entry (global_index, event_identifier, meta_data, payload,"
                        + " payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type)"
                        + " values (nextval('domain_event_entry_seq'), ?, ?, ?, null, ?, ?, ?, ?, ?)",
                message.getIdentifier(), metaData.getData(), payload.getData(), payload.getType().getName(),
                message.getTimestamp().toString(), message.getAggregateIdentifier(), message.getSequenceNumber(),
                message.getType());
    }

    private void publish(Event event) {
        int partition = send(converter.createKafkaMessage(event.message(), topic));
        if (event.message().getType().equals("UserAccount")
                && partition != partitionOf(event.message().getAggregateIdentifier())) {
            throw new IllegalStateException("Events are no longer keyed by user: partitionOf is wrong");
        }
    }

    private int send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get().partition();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Publishing failed", e.getCause());
        }
    }

    /** One stored and published event. */
    public record Event(GenericDomainEventMessage<?> message) {
    }

    /** One user's account: events get the next sequence numbers. */
    public final class Account {

        private final String userId;
        private final List<Event> events = new ArrayList<>();

        Account(String userId) {
            this.userId = userId;
        }

        /** Stores and publishes the next events of this account. */
        public Account add(Object... payloads) {
            for (Object payload : payloads) {
                Event event = event("UserAccount", userId, events.size(), payload);
                store(event);
                publish(event);
                events.add(event);
            }
            return this;
        }

        /**
         * Stores the next events of this account, created at {@code createdAt}, and publishes none of them, as the
         * ledger's publisher leaves them while it lags or is stuck. Returns how to delete them from the store again.
         */
        public Runnable addStoredOnly(Instant createdAt, Object... payloads) {
            List<Long> sequences = new ArrayList<>();
            for (Object payload : payloads) {
                Event event = new Event(new GenericDomainEventMessage<>("UserAccount", userId, events.size(),
                        payload, MetaData.emptyInstance(), UUID.randomUUID().toString(), createdAt));
                store(event);
                events.add(event);
                sequences.add(event.message().getSequenceNumber());
            }
            return () -> sequences.forEach(sequence -> ledger.update("delete from domain_event_entry"
                    + " where aggregate_identifier = ? and sequence_number = ?", userId, sequence));
        }

        /**
         * Stores the next event of this account and publishes it with {@code value} in place of its JSON, as a
         * corrupted or tampered record would reach the topic (null: a tombstone).
         */
        public Account addPublishedAs(Object payload, byte[] value) {
            Event event = event("UserAccount", userId, events.size(), payload);
            store(event);
            ProducerRecord<String, byte[]> record = converter.createKafkaMessage(event.message(), topic);
            send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), value,
                    record.headers()));
            events.add(event);
            return this;
        }

        public List<Event> events() {
            return List.copyOf(events);
        }
    }
}
