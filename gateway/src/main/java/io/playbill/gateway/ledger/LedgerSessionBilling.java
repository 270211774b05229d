package io.playbill.gateway.ledger;

import io.playbill.gateway.billing.SessionBilling;
import io.playbill.gateway.billing.SessionCall;
import io.playbill.ledger.api.events.Actor;
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
    public CompletableFuture<String> authorize(SessionCall call, String queue) {
        return submit(call, new LedgerOperation.AuthorizeSession(call.session(), queue))
                .thenApply(LedgerSessionBilling::queueOf);
    }

    @Override
    public CompletableFuture<String> start(SessionCall call, String requestedQueue) {
        return submit(call, new LedgerOperation.StartSession(call.session(), requestedQueue))
                .thenApply(LedgerSessionBilling::queueOf);
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
        return ledger.submit(call.userId(), call.receivedAtMillis(), operation, Actor.player(call.userId()));
    }

    /** The queue the ledger bound the session to: the only queue a token may name. */
    private static String queueOf(LedgerReply reply) {
        if (reply.queue() == null) {
            throw LedgerRefusals.unusableReply("a session request was accepted without the session's queue");
        }
        return reply.queue();
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
