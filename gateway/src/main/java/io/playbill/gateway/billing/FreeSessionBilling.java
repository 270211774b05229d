package io.playbill.gateway.billing;

import io.playbill.ledger.api.messages.LedgerOperation;

import java.util.concurrent.CompletableFuture;

/** Billing mode none (token-spec §5): everything is allowed and each renew adds one cycle, statelessly. */
public final class FreeSessionBilling implements SessionBilling {

    private static final CompletableFuture<Void> ALLOWED = CompletableFuture.completedFuture(null);

    private final long cycleSeconds;

    public FreeSessionBilling(long cycleSeconds) {
        this.cycleSeconds = cycleSeconds;
    }

    @Override
    public CompletableFuture<String> authorize(String userId, long receivedAtMillis,
                                               LedgerOperation.AuthorizeSession call) {
        return CompletableFuture.completedFuture(call.queue());
    }

    @Override
    public CompletableFuture<String> start(String userId, long receivedAtMillis, LedgerOperation.StartSession call) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Long> renew(String userId, long receivedAtMillis, LedgerOperation.RenewSession call) {
        return CompletableFuture.completedFuture(call.lastDeadline() + cycleSeconds);
    }

    @Override
    public CompletableFuture<Void> stop(String userId, long receivedAtMillis, LedgerOperation.StopSession call) {
        return ALLOWED;
    }
}
