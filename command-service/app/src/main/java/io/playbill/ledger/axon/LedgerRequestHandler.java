package io.playbill.ledger.axon;

import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;

import java.util.concurrent.CompletableFuture;

/** Decides one ledger request. The Kafka intake calls it in request order per user. */
public interface LedgerRequestHandler {

    /**
     * @return the reply; completes exceptionally only for infrastructure failures (the request is then
     * retried), never for a refusal, which is a refused reply
     */
    CompletableFuture<LedgerReply> handle(LedgerRequest request);
}
