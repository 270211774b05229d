package io.playbill.query.audit;

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
import io.playbill.query.audit.rules.AuditEvent;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a payload (the Jackson JSON the ledger stored and published) into its ledger-api record, by its type name,
 * with plain Jackson: the audit does not go through Axon's serializer.
 */
final class EventDecoder {

    private static final List<Class<?>> EVENTS = List.of(AccountOpened.class, FundsDeposited.class,
            FundsRefunded.class, BalanceAdjusted.class, PriceSet.class, SessionAuthorized.class, SessionStarted.class,
            PlaytimeCharged.class, SessionRenewed.class, SessionEnded.class);

    private final Map<String, ObjectReader> readers;

    EventDecoder(ObjectMapper json) {
        this.readers = EVENTS.stream().collect(Collectors.toUnmodifiableMap(Class::getName, json::readerFor,
                (a, b) -> a));
    }

    Object decode(String type, byte[] payload) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            return new AuditEvent.UnknownPayload(type, Arrays.hashCode(payload));
        }
        try {
            Object event = reader.readValue(payload);
            return event != null ? event : new AuditEvent.UndecodablePayload(type, "the JSON null, not an event");
        } catch (IOException e) {
            return new AuditEvent.UndecodablePayload(type, e.getMessage());
        }
    }
}
