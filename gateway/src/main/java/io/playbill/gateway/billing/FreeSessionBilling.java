package io.playbill.gateway.billing;

import java.util.concurrent.CompletableFuture;

/** Billing mode none (token-spec §5): everything is allowed and each renew adds one cycle, statelessly. */
public final class FreeSessionBilling implements SessionBilling {

    private static final CompletableFuture<Void> ALLOWED = CompletableFuture.completedFuture(null);

    private final long cycleSeconds;

    public FreeSessionBilling(long cycleSeconds) {
        this.cycleSeconds = cycleSeconds;
    }

    @Override
    public CompletableFuture<String> authorize(SessionCall call, String queue) {
        return CompletableFuture.completedFuture(queue);
    }

    @Override
    public CompletableFuture<String> start(SessionCall call, String requestedQueue) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Long> renew(SessionCall call, long lastDeadline) {
        return CompletableFuture.completedFuture(lastDeadline + cycleSeconds);
    }

    @Override
    public CompletableFuture<Void> stop(SessionCall call) {
        return ALLOWED;
    }
}
