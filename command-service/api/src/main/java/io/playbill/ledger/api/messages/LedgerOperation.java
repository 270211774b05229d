package io.playbill.ledger.api.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a {@link LedgerRequest} asks the ledger to do. The JSON carries the kind in the {@code op} property.
 *
 * <p>Session operations follow the SDK's token calls (see docs/spec/token-spec.md): authToken binds a
 * session to the user, startToken starts it, renewToken is the billing heartbeat, stop ends it.
 * Money operations carry a caller-supplied idempotency {@code reference}: the same reference twice is applied
 * once and answered the same; the same reference with different content is refused.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LedgerOperation.AuthorizeSession.class, name = "authorize"),
        @JsonSubTypes.Type(value = LedgerOperation.StartSession.class, name = "start"),
        @JsonSubTypes.Type(value = LedgerOperation.RenewSession.class, name = "renew"),
        @JsonSubTypes.Type(value = LedgerOperation.StopSession.class, name = "stop"),
        @JsonSubTypes.Type(value = LedgerOperation.Deposit.class, name = "deposit"),
        @JsonSubTypes.Type(value = LedgerOperation.Refund.class, name = "refund"),
        @JsonSubTypes.Type(value = LedgerOperation.Adjust.class, name = "adjust"),
        @JsonSubTypes.Type(value = LedgerOperation.SetPrice.class, name = "set-price"),
        @JsonSubTypes.Type(value = LedgerOperation.AdmitCloudGame.class, name = "admit-cloud-game"),
        @JsonSubTypes.Type(value = LedgerOperation.ResolveParked.class, name = "resolve-parked"),
})
public sealed interface LedgerOperation {

    /** authToken: bind {@code session} to the user on {@code queue}. */
    record AuthorizeSession(String session, String queue) implements LedgerOperation {
    }

    /**
     * startToken: the queueing is over and the game is about to start. {@code queue}, when given, must be the queue
     * the session was authorized on.
     */
    record StartSession(String session, String queue) implements LedgerOperation {
    }

    /** renewToken: the billing heartbeat; {@code lastDeadline} is the deadline the client holds (0 first). */
    record RenewSession(String session, long lastDeadline) implements LedgerOperation {
    }

    /** The user ended the session; billing closes it at the request's receive time. */
    record StopSession(String session) implements LedgerOperation {
    }

    /** Credit a prepaid balance ({@code amount} &gt; 0, minor units). */
    record Deposit(long amount, String reference) implements LedgerOperation {
    }

    /** Give money back to the user out of their balance ({@code amount} &gt; 0); never below zero. */
    record Refund(long amount, String reference, String reason) implements LedgerOperation {
    }

    /** A manual correction, positive or negative (never zero); never makes the balance negative. */
    record Adjust(long amount, String reference, String reason) implements LedgerOperation {
    }

    /**
     * Set a queue's price per minute (minor units, &gt;= 0) from the request's receive time on. Prices are
     * global; the request's {@code userId} is the admin who asked.
     */
    record SetPrice(String queue, long pricePerMinute) implements LedgerOperation {

        /** The highest price the ledger takes (10^9 minor units a minute); the gateway refuses more itself. */
        public static final long MAX_PRICE_PER_MINUTE = 1_000_000_000L;
    }

    /**
     * May a cloud game start for {@code session}? Accepted when the session is the user's, has not ended, and is paid
     * for: a session already billing holds its granted playtime, any other needs a balance that pays one cycle at its
     * queue's price. A question: nothing is stored.
     */
    record AdmitCloudGame(String session) implements LedgerOperation {
    }

    /**
     * An operator's decision on an item one of the ledger's consumers parked (docs/operations.md, "Parked items"):
     * {@code retry} it now, or {@code skip} it for good. The request's {@code userId} is the admin who asked; the
     * actor must have the role admin. Accepted with what was done in the reply's {@code message}; refused
     * {@code PARKED_ITEM_NOT_FOUND} or {@code STILL_FAILING}.
     *
     * @param consumer {@code intake} (item: the parked request's id), {@code expiry} (item: {@code user/session})
     *                 or {@code publisher} (item: the user whose events wait)
     * @param action   {@code retry} or {@code skip}
     */
    record ResolveParked(String consumer, String item, String action) implements LedgerOperation {
    }
}
