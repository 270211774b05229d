package io.playbill.gateway.billing;

import io.playbill.ledger.api.messages.LedgerOperation;

import java.util.concurrent.CompletableFuture;

/**
 * Billing's decision on each SDK session call; a token is signed only after the decision succeeds. A call is the
 * ledger operation it asks for, from {@code userId} (the authenticated user) at {@code receivedAtMillis} (when the
 * gateway received it; billing uses this time, never a later one). A refusal completes the future exceptionally
 * with an {@link io.playbill.service.web.ApiException}.
 */
public interface SessionBilling {

    /** authToken: bind the session to the user on the operation's queue; completes with the queue it is bound to. */
    CompletableFuture<String> authorize(String userId, long receivedAtMillis, LedgerOperation.AuthorizeSession call);

    /**
     * startToken: the session's game is about to start. The operation's queue (null: none named) must be the
     * session's queue. Completes with the session's queue as billing knows it, or null when billing keeps no
     * sessions (mode none).
     */
    CompletableFuture<String> start(String userId, long receivedAtMillis, LedgerOperation.StartSession call);

    /** renewToken: completes with the new deadline (seconds of playtime since the first renew). */
    CompletableFuture<Long> renew(String userId, long receivedAtMillis, LedgerOperation.RenewSession call);

    /** The user ended the session. */
    CompletableFuture<Void> stop(String userId, long receivedAtMillis, LedgerOperation.StopSession call);
}
