package io.playbill.ledger.axon;

import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.Request;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends each request's operation, as it came, to the aggregate that handles it (Axon routes by the operation's type;
 * the request's user, time and actor ride along as metadata), and turns the outcome into the reply: an
 * {@link Answer} is accepted, a {@link LedgerRefusal} refused, anything else an infrastructure failure. The Kafka
 * intake calls it in request order per user.
 */
@Component
public class LedgerCommands {

    private final CommandGateway commands;

    LedgerCommands(CommandGateway commands) {
        this.commands = commands;
    }

    /**
     * Decides one ledger request.
     *
     * @return the reply; completes exceptionally only for infrastructure failures (the request is then retried),
     * never for a refusal, which is a refused reply
     */
    public CompletableFuture<LedgerReply> handle(LedgerRequest ledgerRequest) {
        Request request = RequestMetaData.of(ledgerRequest);
        var refused = request.refusal();
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(LedgerReply.refused(ledgerRequest.requestId(),
                    refused.get().error(), refused.get().message()));
        }
        var command = GenericCommandMessage.asCommandMessage(ledgerRequest.operation())
                .andMetaData(RequestMetaData.of(request));
        return commands.<Answer>send(command)
                .thenApply(answer -> accepted(ledgerRequest.requestId(), answer))
                .exceptionally(failure -> refusalOrRethrow(ledgerRequest.requestId(), failure));
    }

    private static LedgerReply accepted(String requestId, Answer answer) {
        return LedgerReply.accepted(requestId, minorUnits(answer.balance()), seconds(answer.deadline()),
                answer.queue());
    }

    /** A refusal is an answer; anything else is an infrastructure failure the intake retries. */
    private static LedgerReply refusalOrRethrow(String requestId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof LedgerRefusal refusal) {
            return LedgerReply.refused(requestId, refusal.error(), refusal.getMessage());
        }
        throw new CompletionException(cause);
    }

    private static Long minorUnits(Money money) {
        return money == null ? null : money.minorUnits();
    }

    private static Long seconds(Seconds seconds) {
        return seconds == null ? null : seconds.value();
    }
}
