package io.playbill.ledger.api.messages;

import java.util.Objects;

/**
 * One request to the ledger, as the gateway puts it on {@link io.playbill.ledger.api.LedgerTopics#REQUESTS}.
 *
 * @param requestId        unique per HTTP request; the reply carries it back
 * @param userId           the authenticated user the request is for (also the Kafka key)
 * @param receivedAtMillis the gateway's receive time; every billing rule uses this, never the ledger's clock,
 *                         so that replaying the log gives identical results
 * @param operation        what is asked
 */
public record LedgerRequest(String requestId, String userId, long receivedAtMillis, LedgerOperation operation) {

    public LedgerRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(operation, "operation");
    }
}
