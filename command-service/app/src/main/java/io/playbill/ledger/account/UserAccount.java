package io.playbill.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.billing.Billed;
import io.playbill.ledger.billing.Billing;
import io.playbill.ledger.billing.Charge;
import io.playbill.ledger.billing.Renewal;
import io.playbill.ledger.billing.SdkTiming;
import io.playbill.ledger.pricing.PriceBook;
import io.playbill.ledger.registry.LedgerRegistry;
import io.playbill.ledger.registry.RecordedMovement;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One user's prepaid account: the balance, everything that moved it, and the user's game sessions. Sessions live
 * inside the account because a session's charges move the account's balance, and requests are ordered per user:
 * one aggregate per user decides both consistently. Created by its first accepted request.
 *
 * <p>Each command handler checks the request, asks the pure billing rules ({@link Billing}) what to do, and applies
 * events; the event sourcing handlers below are the only place state changes. Refusals are thrown as
 * {@link LedgerRefusal} before any event is applied. Every handler is idempotent: a retried request changes
 * nothing and is answered the same (or, for a session that has ended since, refused or answered as ended).
 *
 * <p>Every handler may create the account ({@code CREATE_IF_MISSING}) so that a request for an unknown user is
 * refused like any other instead of failing; an account only exists once an event was applied.
 *
 * <p>The account's live state stays bounded: money references are remembered by the {@link LedgerRegistry} (which
 * also keeps them unique across accounts), and only the {@value #ENDED_SESSIONS_KEPT} most recently authorized of its ended sessions
 * stay, for late retries. Everything stays in the events and the read models. Snapshots taken when accounts still
 * held their references read fine: the field is ignored.
 */
@Aggregate(repository = "userAccountRepository")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UserAccount {

    /** No balance may exceed this (10^15 minor units), which keeps all cost arithmetic far from overflowing. */
    static final long MAX_BALANCE = 1_000_000_000_000_000L;

    /** Ended sessions kept for late retries (a renew of an exhausted session, a stop sent twice); older are forgotten. */
    static final int ENDED_SESSIONS_KEPT = 8;

    /** The SDK's session ids (shared/spec/token-spec.md §1). */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    @AggregateIdentifier
    private String userId;
    private long balance;
    private Map<String, Session> sessions = new LinkedHashMap<>();

    protected UserAccount() {
        // Axon creates the instance and replays the events (or restores a snapshot).
    }

    // ---- sessions ------------------------------------------------------------------------------------------------

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(AuthorizeSession command, PriceBook prices, SessionRules rules,
                                LedgerRegistry registry) {
        String sessionId = requireSessionId(command.session());
        String queue = requireText(command.queue(), "queue");
        Session existing = sessions.get(sessionId);
        if (existing != null) {
            if (!existing.status().active()) {
                throw sessionNotFound(sessionId, "has ended");
            }
            if (!existing.queue().equals(queue)) {
                throw new LedgerRefusal(LedgerError.INVALID_REQUEST,
                        "Session " + sessionId + " is authorized on queue " + existing.queue());
            }
            return AccountAnswer.forSession(balance, existing);
        }
        Optional<String> owner = registry.sessionOwner(sessionId);
        if (owner.isPresent()) {
            if (!owner.get().equals(command.userId())) {
                throw new LedgerRefusal(LedgerError.SESSION_OF_ANOTHER_USER,
                        "Session " + sessionId + " belongs to another user");
            }
            throw sessionNotFound(sessionId, "has ended");
        }
        BillingMode mode = billingOn(rules);
        long at = command.receivedAtMillis();
        long price = priceAt(prices, queue, at);
        if (activeSessionCount() >= rules.maxActiveSessions()) {
            throw new LedgerRefusal(LedgerError.TOO_MANY_SESSIONS,
                    "The user already has " + activeSessionCount() + " active session(s)");
        }
        requireOneCycle(Billing.of(mode), price, rules.cycleSeconds());
        openIfNew(command.userId(), at);
        apply(new SessionAuthorized(userId, sessionId, queue, price, at, at + rules.authorizationTimeoutMillis()));
        return AccountAnswer.forSession(balance, sessions.get(sessionId));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(StartSession command, PriceBook prices, SessionRules rules) {
        Session session = activeSession(command.session());
        if (command.queue() != null && !command.queue().equals(session.queue())) {
            throw new LedgerRefusal(LedgerError.QUEUE_MISMATCH, "Session " + session.id()
                    + " is authorized on queue " + session.queue() + ", not " + CleanText.forLog(command.queue()));
        }
        if (session.status() != SessionStatus.AUTHORIZED) {
            return AccountAnswer.forSession(balance, session);
        }
        BillingMode mode = billingOn(rules);
        Billing billing = Billing.of(mode);
        long at = command.receivedAtMillis();
        long price = priceAt(prices, session.queue(), at);
        requireOneCycle(billing, price, rules.cycleSeconds());
        Billed start = billing.start(price, moneyForNewPlaytime());
        apply(new SessionStarted(userId, session.id(), session.queue(), mode, rules.cycleSeconds(), price,
                start.meter().grantedSeconds(), at, SdkTiming.expiryAfterStart(at)));
        applyCharges(session, start.charges(), at);
        return AccountAnswer.forSession(balance, session);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(RenewSession command, PriceBook prices) {
        if (command.lastDeadline() < 0) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "lastDeadline must not be negative");
        }
        Session session = knownSession(command.session());
        if (session.status() == SessionStatus.ENDED) {
            if (session.endReason() == SessionEndReason.BALANCE_EXHAUSTED) {
                // The spec's exhausted session: the deadline stops growing and the game ends by itself.
                return AccountAnswer.forRenew(balance, session.deadline(), session);
            }
            throw sessionNotFound(session.id(), "has ended");
        }
        if (session.status() == SessionStatus.AUTHORIZED) {
            throw sessionNotFound(session.id(), "has not started");
        }
        long at = command.receivedAtMillis();
        long price = priceAt(prices, session.queue(), at);
        Renewal renewal = session.billing().renew(session.clock(), session.meter(), at, price,
                moneyForNewPlaytime());
        // A session whose balance pays for no more ends when its granted playtime does (the ledger's expiry scan
        // ends it then, and the gateway stops the cloud game), not 30 s later when the SDK gives up.
        long expiresAt = renewal.balanceLimited()
                ? SdkTiming.endOfGrantedPlaytime(renewal.firstRenewAtMillis(), renewal.deadline())
                : SdkTiming.expiryAfterRenew(renewal.firstRenewAtMillis(), renewal.deadline());
        // Only a balance-limited session ends here; a late renew of any other is billed as usual (the expiry scan
        // ends it as timed out if the renew came after the SDK had given up).
        boolean playtimeOver = renewal.balanceLimited() && expiresAt <= at;
        boolean changesNothing = session.status() == SessionStatus.BILLING && renewal.charges().isEmpty()
                && renewal.meter().equals(session.meter()) && expiresAt == session.expiresAtMillis() && !playtimeOver;
        if (changesNothing) {
            return AccountAnswer.forRenew(balance, session.deadline(), session);
        }
        applyCharges(session, renewal.charges(), at);
        apply(new SessionRenewed(userId, session.id(), session.queue(), at, command.lastDeadline(),
                renewal.firstRenewAtMillis(), price, renewal.meter().billedSeconds(),
                renewal.meter().grantedSeconds(), renewal.deadline(), balance, expiresAt, renewal.balanceLimited()));
        if (playtimeOver) {
            end(session.id(), SessionEndReason.BALANCE_EXHAUSTED, at);
        }
        return AccountAnswer.forRenew(balance, renewal.deadline(), session);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(StopSession command, LedgerRegistry registry) {
        String sessionId = requireSessionId(command.session());
        Session session = sessions.get(sessionId);
        if (session == null) {
            // Stopping an ended session is accepted, also once the account has forgotten it.
            if (registry.sessionOwner(sessionId).filter(command.userId()::equals).isPresent()) {
                return AccountAnswer.withBalance(balance);
            }
            throw sessionNotFound(sessionId, "is not bound to this user");
        }
        if (session.status() == SessionStatus.ENDED) {
            return AccountAnswer.forSession(balance, session);
        }
        long at = command.receivedAtMillis();
        if (session.status() != SessionStatus.AUTHORIZED) {
            applyCharges(session, session.billing().stop(session.clock(), session.meter(), at).charges(), at);
        }
        end(session.id(), SessionEndReason.STOPPED, at);
        return AccountAnswer.forSession(balance, session);
    }

    /**
     * A cloud game may start for a session that is the user's, has not ended, and is paid for: a billing session
     * holds its granted playtime (until a balance-limited one reaches its end), any other needs a balance that pays one
     * cycle at its queue's price now. Stores nothing.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(AdmitCloudGame command, PriceBook prices, SessionRules rules) {
        Session session = activeSession(command.session());
        long at = command.receivedAtMillis();
        if (session.status() == SessionStatus.BILLING) {
            if (session.balanceLimited() && session.expiresAtMillis() <= at) {
                throw new LedgerRefusal(LedgerError.INSUFFICIENT_BALANCE,
                        "Session " + session.id() + " has played all the balance paid for");
            }
            return AccountAnswer.forSession(balance, session);
        }
        Billing billing = session.status() == SessionStatus.AUTHORIZED ? Billing.of(billingOn(rules)) : session.billing();
        long cycle = session.status() == SessionStatus.AUTHORIZED ? rules.cycleSeconds() : session.cycleSeconds();
        requireOneCycle(billing, priceAt(prices, session.queue(), at), cycle);
        return AccountAnswer.forSession(balance, session);
    }

    /**
     * Only the expiry scanner sends this, for a session it saw in an existing account. A balance-limited session's
     * paid playtime is over; any other stopped renewing. Nothing is charged: under-bill bills only what renews saw
     * played, and over-bill charged ahead.
     */
    @CommandHandler
    public void handle(ExpireSession command) {
        Session session = sessions.get(command.session());
        if (session != null && session.status().active() && session.expiresAtMillis() <= command.checkedAtMillis()) {
            end(session.id(), session.balanceLimited() ? SessionEndReason.BALANCE_EXHAUSTED : SessionEndReason.TIMED_OUT,
                    session.expiresAtMillis());
        }
    }

    // ---- money ---------------------------------------------------------------------------------------------------

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(DepositFunds command, LedgerRegistry registry) {
        long amount = requirePositive(command.amount(), "A deposit amount");
        String reference = requireText(command.reference(), "reference");
        Actor actor = requireActorOtherThan(command.actor(), command.userId());
        Optional<RecordedMovement> earlier = earlierMovement(registry, command.userId(), reference,
                RecordedMovement.Kind.DEPOSIT, amount, null);
        if (earlier.isPresent()) {
            return AccountAnswer.withBalance(earlier.get().balanceAfter());
        }
        requireWithinMaxBalance(amount);
        openIfNew(command.userId(), command.receivedAtMillis());
        apply(new FundsDeposited(userId, reference, amount, balance + amount, command.receivedAtMillis(), actor));
        return AccountAnswer.withBalance(balance);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(RefundFunds command, LedgerRegistry registry) {
        long amount = requirePositive(command.amount(), "A refund amount");
        String reference = requireText(command.reference(), "reference");
        String reason = requireText(command.reason(), "reason");
        Actor actor = requireActorOtherThan(command.actor(), command.userId());
        Optional<RecordedMovement> earlier = earlierMovement(registry, command.userId(), reference,
                RecordedMovement.Kind.REFUND, amount, reason);
        if (earlier.isPresent()) {
            return AccountAnswer.withBalance(earlier.get().balanceAfter());
        }
        requireCanTake(amount);
        apply(new FundsRefunded(userId, reference, amount, reason, balance - amount, command.receivedAtMillis(),
                actor));
        return AccountAnswer.withBalance(balance);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(AdjustBalance command, LedgerRegistry registry) {
        long amount = command.amount();
        if (amount == 0) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "An adjustment must not be zero");
        }
        String reference = requireText(command.reference(), "reference");
        String reason = requireText(command.reason(), "reason");
        Actor actor = requireActorOtherThan(command.actor(), command.userId());
        Optional<RecordedMovement> earlier = earlierMovement(registry, command.userId(), reference,
                RecordedMovement.Kind.ADJUSTMENT, amount, reason);
        if (earlier.isPresent()) {
            return AccountAnswer.withBalance(earlier.get().balanceAfter());
        }
        if (amount > 0) {
            requireWithinMaxBalance(amount);
        } else {
            requireCanTake(-amount);
        }
        openIfNew(command.userId(), command.receivedAtMillis());
        apply(new BalanceAdjusted(userId, reference, amount, reason, balance + amount, command.receivedAtMillis(),
                actor));
        return AccountAnswer.withBalance(balance);
    }

    // ---- decisions -----------------------------------------------------------------------------------------------

    private void openIfNew(String user, long atMillis) {
        if (userId == null) {
            apply(new AccountOpened(user, atMillis));
        }
    }

    private void applyCharges(Session session, List<Charge> charges, long atMillis) {
        for (Charge charge : charges) {
            long balanceAfter = balance - charge.amount();
            if (balanceAfter < 0) {
                // Grants only promise money that is there, so this is a bug: refuse to store it.
                throw new IllegalStateException("Charge " + charge + " would make the balance of " + userId
                        + " negative");
            }
            apply(new PlaytimeCharged(userId, session.id(), session.queue(), atMillis, charge.pricePerMinute(),
                    charge.seconds(), charge.billedSeconds(), charge.amount(), balanceAfter));
        }
    }

    private void end(String sessionId, SessionEndReason reason, long atMillis) {
        Session session = sessions.get(sessionId);
        apply(new SessionEnded(userId, sessionId, session.queue(), reason, atMillis, session.meter().billedSeconds(),
                session.chargedAmount(), session.deadline(), balance));
    }

    /** The balance minus what granted but unbilled playtime will cost: what new playtime may be paid with. */
    private long moneyForNewPlaytime() {
        return balance - reservedForGrantedPlaytime();
    }

    private long reservedForGrantedPlaytime() {
        return sessions.values().stream().mapToLong(Session::unbilledCost).sum();
    }

    private long activeSessionCount() {
        return sessions.values().stream().filter(session -> session.status().active()).count();
    }

    private static BillingMode billingOn(SessionRules rules) {
        return rules.newSessionsBilling().orElseThrow(() -> new LedgerRefusal(LedgerError.INVALID_REQUEST,
                "Billing is off (playbill.billing.mode=none): the ledger starts no sessions"));
    }

    private static long priceAt(PriceBook prices, String queue, long atMillis) {
        return prices.pricePerMinute(queue, atMillis).orElseThrow(() -> new LedgerRefusal(
                LedgerError.UNKNOWN_QUEUE, "Queue " + queue + " has no price"));
    }

    private void requireOneCycle(Billing billing, long pricePerMinute, long cycleSeconds) {
        if (!billing.paysForOneCycle(pricePerMinute, moneyForNewPlaytime(), cycleSeconds)) {
            throw new LedgerRefusal(LedgerError.INSUFFICIENT_BALANCE, "The balance cannot pay for "
                    + cycleSeconds + " s at " + pricePerMinute + " per minute");
        }
    }

    private void requireCanTake(long amount) {
        long reserved = reservedForGrantedPlaytime();
        if (balance - amount < reserved) {
            throw new LedgerRefusal(LedgerError.BALANCE_WOULD_BE_NEGATIVE, reserved == 0
                    ? "The balance is " + balance
                    : "The balance is " + balance + ", of which " + reserved + " pays for playtime already granted");
        }
    }

    private void requireWithinMaxBalance(long amount) {
        if (amount > MAX_BALANCE - balance) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A balance may not exceed " + MAX_BALANCE);
        }
    }

    /**
     * The movement already recorded under {@code reference} in any account if it is this same request; a conflict
     * otherwise (other content, or another account: one reference names one movement).
     */
    private static Optional<RecordedMovement> earlierMovement(LedgerRegistry registry, String user, String reference,
                                                              RecordedMovement.Kind kind, long amount, String reason) {
        Optional<RecordedMovement> earlier = registry.movement(reference);
        if (earlier.isPresent() && !earlier.get().isRetryOf(user, kind, amount, reason)) {
            throw new LedgerRefusal(LedgerError.REFERENCE_CONFLICT, "Reference " + reference + " was already used "
                    + (earlier.get().userId().equals(user) ? "for a " + earlier.get().describe() : "by another account"));
        }
        return earlier;
    }

    /** Money moves only at someone's request, and never at the request of the account's own user. */
    private static Actor requireActorOtherThan(Actor actor, String user) {
        if (actor == null || !CleanText.isClean(actor.userId()) || actor.userId().isBlank()) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A money request must name who asks");
        }
        if (actor.userId().equals(user)) {
            throw new LedgerRefusal(LedgerError.OWN_ACCOUNT, "Nobody moves money on their own account");
        }
        return actor;
    }

    private Session knownSession(String sessionId) {
        Session session = sessions.get(requireSessionId(sessionId));
        if (session == null) {
            throw sessionNotFound(sessionId, "is not bound to this user");
        }
        return session;
    }

    private Session activeSession(String sessionId) {
        Session session = knownSession(sessionId);
        if (!session.status().active()) {
            throw sessionNotFound(sessionId, "has ended");
        }
        return session;
    }

    private static LedgerRefusal sessionNotFound(String sessionId, String why) {
        return new LedgerRefusal(LedgerError.SESSION_NOT_FOUND, "Session " + sessionId + " " + why);
    }

    private static String requireSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A session id is 1-64 letters or digits");
        }
        return sessionId;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 255 || !CleanText.isClean(value)) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST,
                    "A " + what + " of 1-255 characters without control characters is required");
        }
        return value;
    }

    private static long requirePositive(long amount, String what) {
        if (amount <= 0) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, what + " must be positive");
        }
        return amount;
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    @EventSourcingHandler
    void on(AccountOpened event) {
        userId = event.userId();
    }

    @EventSourcingHandler
    void on(FundsDeposited event) {
        balance = event.balanceAfter();
    }

    @EventSourcingHandler
    void on(FundsRefunded event) {
        balance = event.balanceAfter();
    }

    @EventSourcingHandler
    void on(BalanceAdjusted event) {
        balance = event.balanceAfter();
    }

    @EventSourcingHandler
    void on(SessionAuthorized event) {
        sessions.put(event.session(), Session.authorized(event));
    }

    @EventSourcingHandler
    void on(SessionStarted event) {
        sessions.put(event.session(), sessions.get(event.session()).started(event));
    }

    @EventSourcingHandler
    void on(PlaytimeCharged event) {
        balance = event.balanceAfter();
        sessions.put(event.session(), sessions.get(event.session()).charged(event));
    }

    @EventSourcingHandler
    void on(SessionRenewed event) {
        sessions.put(event.session(), sessions.get(event.session()).renewed(event));
    }

    @EventSourcingHandler
    void on(SessionEnded event) {
        sessions.put(event.session(), sessions.get(event.session()).ended(event));
        forgetOldEndedSessions();
    }

    /** Keeps the {@value #ENDED_SESSIONS_KEPT} most recently authorized ended sessions; the map is in that order. */
    private void forgetOldEndedSessions() {
        long ended = sessions.values().stream().filter(session -> !session.status().active()).count();
        Iterator<Session> oldestFirst = sessions.values().iterator();
        while (ended > ENDED_SESSIONS_KEPT && oldestFirst.hasNext()) {
            if (!oldestFirst.next().status().active()) {
                oldestFirst.remove();
                ended--;
            }
        }
    }
}
