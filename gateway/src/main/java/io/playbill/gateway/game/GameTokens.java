package io.playbill.gateway.game;

import io.playbill.gateway.billing.SessionBilling;
import io.playbill.gateway.billing.SessionCall;
import io.playbill.gateway.token.TokenSigner;
import org.springframework.stereotype.Service;

import java.util.concurrent.CompletableFuture;

/** The SDK's token calls: billing decides first, and only its positive decision is signed. */
@Service
class GameTokens {

    private final SessionBilling billing;
    private final TokenSigner signer;
    private final GameQueues queues;

    GameTokens(SessionBilling billing, TokenSigner signer, GameQueues queues) {
        this.billing = billing;
        this.signer = signer;
        this.queues = queues;
    }

    /** Signs the queue billing bound the session to. */
    CompletableFuture<String> authToken(SessionCall call, String requestedQueue) {
        String queue = queues.resolve(requestedQueue);
        return billing.authorize(call, queue)
                .thenApply(bound -> signer.authToken(call.userId(), bound, call.session()));
    }

    /**
     * Signs the session's queue as billing knows it, never the request's: a start that names another queue than the
     * session's is refused. Without billing (mode none) the named or default queue.
     */
    CompletableFuture<String> startToken(SessionCall call, String requestedQueue) {
        String requested = requestedQueue == null ? null : queues.resolve(requestedQueue);
        return billing.start(call, requested).thenApply(sessionQueue -> signer.startToken(call.session(),
                sessionQueue != null ? sessionQueue : queues.resolve(requested)));
    }

    CompletableFuture<String> renewToken(SessionCall call, long lastDeadline) {
        return billing.renew(call, lastDeadline).thenApply(deadline -> signer.renewToken(call.session(), deadline));
    }

    CompletableFuture<Void> stop(SessionCall call) {
        return billing.stop(call);
    }
}
