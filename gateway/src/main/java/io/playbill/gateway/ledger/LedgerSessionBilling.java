package io.playbill.gateway.ledger;

import io.playbill.gateway.billing.SessionBilling;
import io.playbill.gateway.billing.SessionCall;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;

import java.util.concurrent.CompletableFuture;

/** Billing modes under and over: the ledger decides every session call; the gateway never invents a deadline. */
final class LedgerSessionBilling implements SessionBilling {

    private final Ledger ledger;

    LedgerSessionBilling(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public CompletableFuture<Void> authorize(SessionCall call, String queue) {
        return accepted(submit(call, new LedgerOperation.AuthorizeSession(call.session(), queue)));
    }

    @Override
    public CompletableFuture<Void> start(SessionCall call) {
        return accepted(submit(call, new LedgerOperation.StartSession(call.session())));
    }

    @Override
    public CompletableFuture<Long> renew(SessionCall call, long lastDeadline) {
        return submit(call, new LedgerOperation.RenewSession(call.session(), lastDeadline))
                .thenApply(LedgerSessionBilling::deadlineOf);
    }

    @Override
    public CompletableFuture<Void> stop(SessionCall call) {
        return accepted(submit(call, new LedgerOperation.StopSession(call.session())));
    }

    private CompletableFuture<LedgerReply> submit(SessionCall call, LedgerOperation operation) {
        return ledger.submit(call.userId(), call.receivedAtMillis(), operation);
    }

    private static CompletableFuture<Void> accepted(CompletableFuture<LedgerReply> reply) {
        return reply.thenApply(accepted -> null);
    }

    private static long deadlineOf(LedgerReply reply) {
        if (reply.deadline() == null) {
            throw LedgerRefusals.unusableReply("a renew was accepted without a deadline");
        }
        return reply.deadline();
    }
}
