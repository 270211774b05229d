package io.playbill.gateway.ledger;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;

import java.util.concurrent.CompletableFuture;

/** The ledger as the gateway sees it: one operation in, one decision out. */
public interface Ledger {

    /**
     * Asks the ledger to apply {@code operation} for {@code userId}. Completes with the reply when the ledger
     * accepted; otherwise exceptionally with an {@link io.playbill.service.web.ApiException}: the mapped refusal,
     * or 503 {@code ledger_unavailable} when no reply came in time.
     *
     * @param receivedAtMillis when the gateway received the HTTP request; the ledger bills with this time
     * @param actor            who asks, as the gateway authenticated them; the ledger records it on money events
     */
    CompletableFuture<LedgerReply> submit(String userId, long receivedAtMillis, LedgerOperation operation,
                                          Actor actor);
}
