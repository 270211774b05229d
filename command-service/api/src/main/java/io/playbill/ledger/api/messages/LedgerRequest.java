package io.playbill.ledger.api.messages;

import io.playbill.ledger.api.events.Actor;

import java.util.Objects;

/**
 * One request to the ledger, as the gateway puts it on {@link io.playbill.ledger.api.LedgerTopics#REQUESTS}.
 *
 * @param requestId        unique per HTTP request; the reply carries it back
 * @param userId           the authenticated user the request is for (also the Kafka key)
 * @param receivedAtMillis the gateway's receive time; every billing rule uses this, never the ledger's clock,
 *                         so that replaying the log gives identical results
 * @param operation        what is asked
 * @param actor            who asked, as the gateway authenticated them: the user themself for session requests, the
 *                         admin or finance user for money and price requests (the ledger refuses a money or price
 *                         request without one, and records it on the event)
 */
public record LedgerRequest(String requestId, String userId, long receivedAtMillis, LedgerOperation operation,
                            Actor actor) {

    public static final int MAX_REQUEST_ID_LENGTH = 255;

    public LedgerRequest {
        Objects.requireNonNull(requestId, "requestId");
        // Echoed in the reply and kept with a parked request: text a row and a reply can always hold.
        if (requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH || !CleanText.isClean(requestId)) {
            throw new IllegalArgumentException("requestId must be 1-" + MAX_REQUEST_ID_LENGTH
                    + " characters without control characters");
        }
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(operation, "operation");
    }
}
