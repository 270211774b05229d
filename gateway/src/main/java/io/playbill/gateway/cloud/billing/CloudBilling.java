package io.playbill.gateway.cloud.billing;

import io.playbill.gateway.ledger.Ledger;
import io.playbill.gateway.ledger.LedgerRefusals;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.service.web.ApiException;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The ledger questions of cloud games. A cloud game is always paid for by a ledger session: the client's own (its SDK
 * renews it) or one the gateway opens and renews itself for clients without the token heartbeat. In billing mode
 * none there is no ledger and every answer is "allowed".
 *
 * <p>Calls block the request thread until the ledger answers (cloud calls block on GS anyway, inside their own
 * concurrency budget); a refusal is thrown as the gateway's {@link ApiException}.
 */
public final class CloudBilling {

    /** Prefix of the session ids the gateway opens itself: readable in statements, never an SDK's. */
    static final String SERVER_SESSION_PREFIX = "gw";
    private static final char[] ALPHANUMERIC =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Ledger ledger;
    private final boolean bills;
    private final SecureRandom random = new SecureRandom();

    /** @param ledger null in billing mode none */
    public CloudBilling(Ledger ledger) {
        this.ledger = ledger;
        this.bills = ledger != null;
    }

    /** Whether cloud games are paid for by ledger sessions (billing modes under and over). */
    public boolean bills() {
        return bills;
    }

    /**
     * The session's queue, when a cloud game may start for it now: it is the user's, has not ended, and is paid for.
     * Refused otherwise: 403 {@code session_not_found}, 402 {@code insufficient_balance}, …
     */
    public String admit(String userId, String session, long atMillis) {
        return queueOf(call(userId, atMillis, new LedgerOperation.AdmitCloudGame(session)));
    }

    /**
     * Opens {@code session} ({@link #newSessionId()}), which the gateway renews itself, on {@code queue}: authorized
     * now, started when the game is. Asking again for the same session changes nothing.
     */
    public void openSession(String userId, String session, String queue, long atMillis) {
        call(userId, atMillis, new LedgerOperation.AuthorizeSession(session, queue));
    }

    /** The game of an SDK's session started: start the session (its client renews it). Again, it changes nothing. */
    public void startSession(String userId, String session, long atMillis) {
        call(userId, atMillis, new LedgerOperation.StartSession(session, null));
    }

    /** The game of a gateway-renewed session started: start the session and renew it for the first time (t0). */
    public long startBilling(String userId, String session, long atMillis) {
        call(userId, atMillis, new LedgerOperation.StartSession(session, null));
        return deadlineOf(call(userId, atMillis, new LedgerOperation.RenewSession(session, 0)));
    }

    /** {@link #startSession}, completing when the ledger answers instead of waiting for it. */
    public CompletableFuture<LedgerReply> startSessionLater(String userId, String session, long atMillis) {
        return ledger.submit(userId, atMillis, new LedgerOperation.StartSession(session, null), Actor.player(userId));
    }

    /** The gateway's heartbeat renew of a session it opened; completes with the new deadline. */
    public CompletableFuture<Long> renew(String userId, String session, long lastDeadline, long atMillis) {
        return ledger.submit(userId, atMillis, new LedgerOperation.RenewSession(session, lastDeadline),
                Actor.player(userId)).thenApply(CloudBilling::deadlineOf);
    }

    /** Ends the session at {@code atMillis} (the cloud game stopped or never started): billing closes then. */
    public void close(String userId, String session, long atMillis) {
        call(userId, atMillis, new LedgerOperation.StopSession(session));
    }

    /** {@link #close}, completing when the ledger answers instead of waiting for it. */
    public CompletableFuture<LedgerReply> closeLater(String userId, String session, long atMillis) {
        return ledger.submit(userId, atMillis, new LedgerOperation.StopSession(session), Actor.player(userId));
    }

    private LedgerReply call(String userId, long atMillis, LedgerOperation operation) {
        try {
            return ledger.submit(userId, atMillis, operation, Actor.player(userId)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The id of a session the gateway opens: saved with the user's game before the ledger is asked to open it. */
    public String newSessionId() {
        StringBuilder id = new StringBuilder(SERVER_SESSION_PREFIX);
        for (int i = 0; i < 30; i++) {
            id.append(ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)]);
        }
        return id.toString();
    }

    private static String queueOf(LedgerReply reply) {
        if (reply.queue() == null) {
            throw LedgerRefusals.unusableReply("a cloud admission was accepted without the session's queue");
        }
        return reply.queue();
    }

    private static long deadlineOf(LedgerReply reply) {
        if (reply.deadline() == null) {
            throw LedgerRefusals.unusableReply("a renew was accepted without a deadline");
        }
        return reply.deadline();
    }

    /**
     * The failure a ledger call's future ended with: a stage depending on it sees that failure wrapped in a
     * {@link CompletionException}, and the refusal (an {@code ApiException}) is its cause.
     */
    static Throwable failureOf(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
