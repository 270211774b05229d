package io.playbill.ledger.account;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.pricing.PriceList;
import io.playbill.ledger.pricing.SetQueuePrice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Turns ledger requests into commands and their outcome into replies. Session and money requests go to the user's
 * {@link UserAccount}; price changes go to the one {@link PriceList}. Every command carries the request's receive
 * time, never the ledger's clock.
 */
@Component
class AccountCommandDispatcher implements LedgerRequestHandler {

    private final CommandGateway commands;

    AccountCommandDispatcher(CommandGateway commands) {
        this.commands = commands;
    }

    /** The longest user id (token-spec §1: at most 64 bytes). */
    static final int MAX_USER_ID_BYTES = 64;

    @Override
    public CompletableFuture<LedgerReply> handle(LedgerRequest request) {
        String problem = problemWithCaller(request);
        if (problem != null) {
            return CompletableFuture.completedFuture(LedgerReply.refused(request.requestId(),
                    LedgerError.INVALID_REQUEST, problem));
        }
        Object command = toCommand(request);
        if (command == null) {
            return CompletableFuture.completedFuture(LedgerReply.refused(request.requestId(),
                    LedgerError.INVALID_REQUEST, "The ledger does not handle " + request.operation()));
        }
        return commands.send(command)
                .thenApply(result -> toReply(request, result))
                .exceptionally(failure -> refusalOrRethrow(request, failure));
    }

    /** Why the request's user or actor cannot be an account id or a recorded actor; {@code null} when they can. */
    private static String problemWithCaller(LedgerRequest request) {
        if (!isUserId(request.userId())) {
            return "A user id is 1-64 bytes of text without control characters";
        }
        Actor actor = request.actor();
        if (actor != null && (!isUserId(actor.userId()) || !actor.roles().stream().allMatch(CleanText::isClean))) {
            return "The actor's user id and roles must be text without control characters";
        }
        return null;
    }

    private static boolean isUserId(String id) {
        return id != null && !id.isBlank() && CleanText.isClean(id)
                && id.getBytes(StandardCharsets.UTF_8).length <= MAX_USER_ID_BYTES;
    }

    /** The command for the request; {@code null} for an operation this ledger version does not know. */
    private static Object toCommand(LedgerRequest request) {
        String user = request.userId();
        long at = request.receivedAtMillis();
        LedgerOperation operation = request.operation();
        if (operation instanceof LedgerOperation.AuthorizeSession authorize) {
            return new AuthorizeSession(user, authorize.session(), authorize.queue(), at);
        }
        if (operation instanceof LedgerOperation.StartSession start) {
            return new StartSession(user, start.session(), start.queue(), at);
        }
        if (operation instanceof LedgerOperation.RenewSession renew) {
            return new RenewSession(user, renew.session(), renew.lastDeadline(), at);
        }
        if (operation instanceof LedgerOperation.StopSession stop) {
            return new StopSession(user, stop.session(), at);
        }
        if (operation instanceof LedgerOperation.Deposit deposit) {
            return new DepositFunds(user, deposit.amount(), deposit.reference(), at, request.actor());
        }
        if (operation instanceof LedgerOperation.Refund refund) {
            return new RefundFunds(user, refund.amount(), refund.reference(), refund.reason(), at, request.actor());
        }
        if (operation instanceof LedgerOperation.Adjust adjust) {
            return new AdjustBalance(user, adjust.amount(), adjust.reference(), adjust.reason(), at, request.actor());
        }
        if (operation instanceof LedgerOperation.SetPrice setPrice) {
            return new SetQueuePrice(PriceList.ID, setPrice.queue(), setPrice.pricePerMinute(), user, at,
                    request.actor());
        }
        if (operation instanceof LedgerOperation.AdmitCloudGame admit) {
            return new AdmitCloudGame(user, admit.session(), at);
        }
        return null;
    }

    private static LedgerReply toReply(LedgerRequest request, Object result) {
        if (result instanceof AccountAnswer answer) {
            return LedgerReply.accepted(request.requestId(), answer.balance(), answer.deadline(), answer.queue());
        }
        return LedgerReply.accepted(request.requestId(), null, null, null);
    }

    /** A refusal is an answer; anything else is an infrastructure failure the intake retries. */
    private static LedgerReply refusalOrRethrow(LedgerRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof LedgerRefusal refusal) {
            return LedgerReply.refused(request.requestId(), refusal.error(), refusal.getMessage());
        }
        throw new CompletionException(cause);
    }
}
