package io.playbill.gateway.cloud.stop;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.playbill.ledger.api.events.SessionEnded;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.listener.MessageListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code playbill.ledger-events} as the Axon Kafka extension writes it: the value is the event's Jackson JSON,
 * the header {@value #TYPE_HEADER} its class name. Only {@link SessionEnded} matters here; the type is checked before
 * anything is parsed, because most events are charges and renewals.
 *
 * <p>A {@code SessionEnded} that cannot be read, or whose end cannot be recorded, is not dropped: it fails, and the
 * container's error handler parks it for an operator ({@link ParkedLedgerEvents}), at once when it cannot be read,
 * after its attempts otherwise; a database outage is retried until it is over (see CloudStopperConfiguration).
 */
public final class LedgerEventsListener implements MessageListener<String, byte[]> {

    static final String TYPE_HEADER = "axon-message-type";
    private static final String SESSION_ENDED = SessionEnded.class.getName();

    /** Tolerant: the ledger may add fields or reasons; an unknown reason reads as null and is ignored. */
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .build();
    private final SessionEndStopper stopper;

    public LedgerEventsListener(SessionEndStopper stopper) {
        this.stopper = stopper;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(TYPE_HEADER);
        if (type == null || type.value() == null
                || !SESSION_ENDED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        SessionEnded ended;
        try {
            if (record.value() == null) {
                throw new IOException("no value");
            }
            ended = json.readValue(record.value(), SessionEnded.class);
            if (ended == null) {
                throw new IOException("the JSON null, not an event");
            }
        } catch (IOException e) {
            throw new Undecodable("Unreadable SessionEnded at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + ": " + e.getMessage(), e);
        }
        stopper.handle(ended);
    }

    /** Whether {@code failure} is a record that cannot be read: retrying it cannot help. */
    public static boolean isUndecodable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Undecodable) {
                return true;
            }
        }
        return false;
    }

    /** A {@code SessionEnded} whose value is not its JSON. */
    static final class Undecodable extends RuntimeException {

        Undecodable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
