package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.Decision;
import io.playbill.ledger.domain.Request;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A ledger request as an Axon command, both ends in one place. The sender: each request's operation goes, as it
 * came, to the aggregate that handles it (Axon routes by the operation's type), with the request's user, receive
 * time and actor as metadata ({@link #metaData}); the user is also the target account ({@link #TARGETS}). The
 * aggregate: it reads that metadata back as the domain's {@link Request} and carries out the domain's
 * {@link Decision} ({@link #carryOut}). The outcome becomes the reply: an {@link Answer} is accepted, a
 * {@link LedgerRefusal} refused, anything else an infrastructure failure. The Kafka intake calls it in request
 * order per user.
 */
@Component
public class LedgerCommands {

    static final String USER_ID = "userId";
    static final String RECEIVED_AT_MILLIS = "receivedAtMillis";
    static final String ACTOR = "actor";

    private static final CommandTargetResolver ANNOTATED = AnnotationCommandTargetResolver.builder().build();

    /**
     * Which account a command is for: the request's user for a {@code LedgerOperation}, whose payload names no
     * account; the {@code @TargetAggregateIdentifier} for the ledger's own {@link ExpireSession}.
     */
    public static final CommandTargetResolver TARGETS = command ->
            command.getMetaData().get(USER_ID) instanceof String user
                    ? new VersionedAggregateIdentifier((Object) user, null) // the String constructor is deprecated
                    : ANNOTATED.resolveTarget(command);

    private final CommandGateway commands;
    private final VersionCheckedCachingRepository<UserAccount> accounts;

    LedgerCommands(CommandGateway commands, VersionCheckedCachingRepository<UserAccount> accounts) {
        this.commands = commands;
        this.accounts = accounts;
    }

    /**
     * Called at the start of a batch's transaction with the users of its requests: their cached accounts' stored
     * versions are read in one query instead of one per request.
     */
    public void beforeBatch(Collection<String> users) {
        accounts.readStoredVersionsAhead(users);
    }

    /**
     * Decides one ledger request.
     *
     * @return the reply; completes exceptionally only for infrastructure failures (the request is then retried),
     * never for a refusal, which is a refused reply
     */
    public CompletableFuture<LedgerReply> handle(LedgerRequest ledgerRequest) {
        Request request = new Request(ledgerRequest.userId(), ledgerRequest.receivedAtMillis(), ledgerRequest.actor());
        var refused = request.refusal();
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(LedgerReply.refused(ledgerRequest.requestId(),
                    refused.get().error(), refused.get().message()));
        }
        var command = GenericCommandMessage.asCommandMessage(ledgerRequest.operation())
                .andMetaData(metaData(request));
        return commands.<Answer>send(command)
                .thenApply(answer -> accepted(ledgerRequest.requestId(), answer))
                .exceptionally(failure -> refusalOrRethrow(ledgerRequest.requestId(), failure));
    }

    /** The request's who and when as a command's metadata. */
    public static MetaData metaData(Request request) {
        Map<String, Object> values = new HashMap<>();
        values.put(USER_ID, request.userId());
        values.put(RECEIVED_AT_MILLIS, request.receivedAtMillis());
        if (request.actor() != null) {
            values.put(ACTOR, request.actor());
        }
        return MetaData.from(values);
    }

    /** The aggregate's side of {@link #metaData}. */
    static Request request(MetaData metaData) {
        return new Request((String) metaData.get(USER_ID), (Long) metaData.get(RECEIVED_AT_MILLIS),
                (Actor) metaData.get(ACTOR));
    }

    /**
     * How an aggregate carries out the domain's decision: apply the events and answer, or throw the refusal, which
     * rolls the command back and which {@link #handle} turns into a refused reply.
     */
    static Answer carryOut(Decision decision) {
        if (decision instanceof Decision.Refused refused) {
            throw new LedgerRefusal(refused);
        }
        Decision.Accepted accepted = (Decision.Accepted) decision;
        accepted.events().forEach(AggregateLifecycle::apply);
        return accepted.answer();
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
