package io.playbill.gateway.billing;

import java.util.concurrent.CompletableFuture;

/**
 * Billing's decision on each SDK session call; a token is signed only after the decision succeeds. A refusal
 * completes the future exceptionally with an {@link io.playbill.gateway.web.ApiException}.
 */
public interface SessionBilling {

    /** authToken: bind the session to the user on {@code queue}. */
    CompletableFuture<Void> authorize(SessionCall call, String queue);

    /** startToken: the session's game is about to start. */
    CompletableFuture<Void> start(SessionCall call);

    /** renewToken: completes with the new deadline (seconds of playtime since the first renew). */
    CompletableFuture<Long> renew(SessionCall call, long lastDeadline);

    /** The user ended the session. */
    CompletableFuture<Void> stop(SessionCall call);
}
