package io.playbill.gateway.billing;

import java.util.concurrent.CompletableFuture;

/**
 * Billing's decision on each SDK session call; a token is signed only after the decision succeeds. A refusal
 * completes the future exceptionally with an {@link io.playbill.service.web.ApiException}.
 */
public interface SessionBilling {

    /** authToken: bind the session to the user on {@code queue}; completes with the queue it is bound to. */
    CompletableFuture<String> authorize(SessionCall call, String queue);

    /**
     * startToken: the session's game is about to start. {@code requestedQueue} (null: none named) must be the
     * session's queue. Completes with the session's queue as billing knows it, or null when billing keeps no
     * sessions (mode none).
     */
    CompletableFuture<String> start(SessionCall call, String requestedQueue);

    /** renewToken: completes with the new deadline (seconds of playtime since the first renew). */
    CompletableFuture<Long> renew(SessionCall call, long lastDeadline);

    /** The user ended the session. */
    CompletableFuture<Void> stop(SessionCall call);
}
