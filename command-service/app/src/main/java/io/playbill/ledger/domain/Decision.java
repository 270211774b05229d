package io.playbill.ledger.domain;

import io.playbill.ledger.api.messages.LedgerError;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the domain decided about one command: accepted, with the events that record it (none for a retry or a
 * question) and the answer; or refused, with a typed reason, and nothing recorded.
 */
public sealed interface Decision {

    /** @param events in the order they happened; applying them in order gives the state the answer describes */
    record Accepted(List<Object> events, Answer answer) implements Decision {

        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Refused(LedgerError error, String message) implements Decision {
    }

    /** The decision {@code deciding} makes, or the refusal a rule threw on the way. */
    static Decision of(Supplier<Decision> deciding) {
        try {
            return deciding.get();
        } catch (Refusal refusal) {
            return new Refused(refusal.error(), refusal.getMessage());
        }
    }
}
