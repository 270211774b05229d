package io.playbill.gateway.cloud.stop;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.playbill.ledger.api.events.SessionEnded;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code playbill.ledger-events} as the Axon Kafka extension writes it: the value is the event's Jackson JSON,
 * the header {@value #TYPE_HEADER} its class name. Only {@link SessionEnded} matters here; the type is checked before
 * anything is parsed, because most events are charges and renewals.
 */
public final class LedgerEventsListener implements MessageListener<String, byte[]> {

    static final String TYPE_HEADER = "axon-message-type";
    private static final String SESSION_ENDED = SessionEnded.class.getName();
    private static final Logger log = LoggerFactory.getLogger(LedgerEventsListener.class);

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
        if (type == null || !SESSION_ENDED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        SessionEnded ended;
        try {
            ended = json.readValue(record.value(), SessionEnded.class);
        } catch (IOException e) {
            log.warn("Skipping an unreadable SessionEnded at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        stopper.handle(ended);
    }
}
