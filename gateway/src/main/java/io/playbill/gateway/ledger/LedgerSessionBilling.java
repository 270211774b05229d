package io.playbill.gateway.ledger;

import io.playbill.gateway.billing.SessionBilling;
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
    public CompletableFuture<String> authorize(String userId, long receivedAtMillis,
                                               LedgerOperation.AuthorizeSession call) {
        return submit(userId, receivedAtMillis, call).thenApply(LedgerSessionBilling::queueOf);
    }

    @Override
    public CompletableFuture<String> start(String userId, long receivedAtMillis, LedgerOperation.StartSession call) {
        return submit(userId, receivedAtMillis, call).thenApply(LedgerSessionBilling::queueOf);
    }

    @Override
    public CompletableFuture<Long> renew(String userId, long receivedAtMillis, LedgerOperation.RenewSession call) {
        return submit(userId, receivedAtMillis, call).thenApply(LedgerSessionBilling::deadlineOf);
    }

    @Override
    public CompletableFuture<Void> stop(String userId, long receivedAtMillis, LedgerOperation.StopSession call) {
        return accepted(submit(userId, receivedAtMillis, call));
    }

    /** A player's own session call: the actor is the user. */
    private CompletableFuture<LedgerReply> submit(String userId, long receivedAtMillis, LedgerOperation call) {
        return ledger.submit(userId, receivedAtMillis, call, Actor.player(userId));
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
