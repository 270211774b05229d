package io.playbill.ledger.account;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Turns ledger requests into account commands and their outcome into replies. */
@Component
class AccountCommandDispatcher implements LedgerRequestHandler {

    private final CommandGateway commands;

    AccountCommandDispatcher(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public CompletableFuture<LedgerReply> handle(LedgerRequest request) {
        if (request.operation() instanceof LedgerOperation.Deposit deposit) {
            return commands.<Long>send(new DepositFunds(request.userId(), deposit.amount(), deposit.reference(),
                            request.receivedAtMillis()))
                    .thenApply(balance -> LedgerReply.accepted(request.requestId(), balance, null))
                    .exceptionally(failure -> refusalOrRethrow(request, failure));
        }
        return CompletableFuture.completedFuture(LedgerReply.refused(request.requestId(),
                LedgerError.INVALID_REQUEST, "The ledger does not handle " + request.operation().getClass().getSimpleName()));
    }

    private static LedgerReply refusalOrRethrow(LedgerRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof LedgerRefusal refusal) {
            return LedgerReply.refused(request.requestId(), refusal.error(), refusal.getMessage());
        }
        throw new CompletionException(cause);
    }
}
