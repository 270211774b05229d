package io.playbill.query.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.service.parking.Failures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a ledger-events record straight into a {@link LedgerEvent}, without Axon: the headers the ledger's
 * publisher writes ({@code axon-message-id}, {@code -type}, {@code -aggregate-id}, {@code -aggregate-seq},
 * {@code -timestamp}) and the Jackson JSON of the api record. A type this build does not know becomes an
 * {@link Unknown} payload, which every projector ignores (as the live processor ignores it).
 */
@Component
public class TopicRecords {

    private static final Logger log = LoggerFactory.getLogger(TopicRecords.class);

    private static final List<Class<?>> EVENTS = List.of(AccountOpened.class, FundsDeposited.class,
            FundsRefunded.class, BalanceAdjusted.class, PriceSet.class, SessionAuthorized.class, SessionStarted.class,
            PlaytimeCharged.class, SessionRenewed.class, SessionEnded.class);

    private final Map<String, ObjectReader> readers;

    TopicRecords(ObjectMapper json) {
        this.readers = EVENTS.stream().collect(Collectors.toUnmodifiableMap(Class::getName, json::readerFor));
    }

    public LedgerEvent decode(ConsumerRecord<String, byte[]> record) {
        String id = text(record, "axon-message-id");
        String type = text(record, "axon-message-type");
        String aggregate = text(record, "axon-message-aggregate-id");
        Long sequence = number(record, "axon-message-aggregate-seq");
        if (id == null || type == null || aggregate == null || sequence == null) {
            throw new IllegalStateException("The record at " + position(record)
                    + " is not a ledger event (no Axon message headers)");
        }
        ObjectReader reader = readers.get(type);
        try {
            if (reader != null && record.value() == null) {
                throw new IOException("no value");
            }
            Object payload = reader == null ? new Unknown(type) : reader.readValue(record.value());
            if (payload == null) {
                throw new IOException("the value is the JSON null, not an event");
            }
            Long timestamp = number(record, "axon-message-timestamp");
            return new LedgerEvent(id, aggregate, sequence,
                    Instant.ofEpochMilli(timestamp == null ? record.timestamp() : timestamp), payload);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + type + " at " + position(record), e);
        }
    }

    /**
     * Like {@link #decode}, but a ledger event whose value cannot be read becomes an {@link Undecodable} payload for
     * the {@link PoisonGuard} to park, instead of a failure that would stop the reader at this record. A record that
     * is no ledger event at all (without the Axon headers that name its account and place) belongs to no account's
     * sequence: it is skipped with a warning, as the live processor's converter skips it. Empty then.
     */
    public Optional<LedgerEvent> decodeOrMark(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(decode(record));
        } catch (RuntimeException e) {
            String id = text(record, "axon-message-id");
            String aggregate = text(record, "axon-message-aggregate-id");
            Long sequence = number(record, "axon-message-aggregate-seq");
            if (id == null || aggregate == null || sequence == null) {
                log.warn("Skipped the record at {}: not a ledger event (no Axon message headers)", position(record));
                return Optional.empty();
            }
            return Optional.of(new LedgerEvent(id, aggregate, sequence, Instant.ofEpochMilli(record.timestamp()),
                    new Undecodable(text(record, "axon-message-type"), Failures.describe(e))));
        }
    }

    /**
     * A payload as {@link ParkedEvents} stored it: its class name and JSON. A type this build does not know is an
     * {@link Unknown}, as on the topic.
     */
    public Object readPayload(String type, String payloadJson) throws IOException {
        ObjectReader reader = readers.get(type);
        return reader == null ? new Unknown(type) : reader.readValue(payloadJson);
    }

    private static String text(ConsumerRecord<String, byte[]> record, String header) {
        Header value = record.headers().lastHeader(header);
        return value == null || value.value() == null ? null : new String(value.value(), StandardCharsets.UTF_8);
    }

    /** A header the publisher writes as a long (8 bytes); null when absent or of another length. */
    private static Long number(ConsumerRecord<String, byte[]> record, String header) {
        Header value = record.headers().lastHeader(header);
        return value == null || value.value() == null || value.value().length != Long.BYTES ? null
                : ByteBuffer.wrap(value.value()).getLong();
    }

    private static String position(ConsumerRecord<String, byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The payload of an event type this build does not know. */
    public record Unknown(String type) {
    }

    /** The payload of an event of a known type whose value could not be read. */
    public record Undecodable(String type, String error) {
    }
}
