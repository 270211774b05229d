package io.playbill.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.playbill.ledger.api.events.AccountOpened;
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
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.billing.Billed;
import io.playbill.ledger.billing.Billing;
import io.playbill.ledger.billing.Charge;
import io.playbill.ledger.billing.Renewal;
import io.playbill.ledger.billing.SdkTiming;
import io.playbill.ledger.pricing.PriceBook;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
@Aggregate(repository = "userAccountRepository")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class UserAccount {

    /** No balance may exceed this (10^15 minor units), which keeps all cost arithmetic far from overflowing. */
    static final long MAX_BALANCE = 1_000_000_000_000_000L;

    /** The SDK's session ids (shared/spec/token-spec.md §1). */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    @AggregateIdentifier
    private String userId;
    private long balance;
    private Map<String, MoneyMovement> moneyByReference = new LinkedHashMap<>();
    private Map<String, Session> sessions = new LinkedHashMap<>();

    protected UserAccount() {
        // Axon creates the instance and replays the events (or restores a snapshot).
    }

    // ---- sessions ------------------------------------------------------------------------------------------------

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(AuthorizeSession command, PriceBook prices, SessionRules rules) {
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
            return AccountAnswer.withBalance(balance);
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
        return AccountAnswer.withBalance(balance);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(StartSession command, PriceBook prices, SessionRules rules) {
        Session session = activeSession(command.session());
        if (session.status() != SessionStatus.AUTHORIZED) {
            return AccountAnswer.withBalance(balance);
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
        return AccountAnswer.withBalance(balance);
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
                return new AccountAnswer(balance, session.deadline());
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
            return new AccountAnswer(balance, session.deadline());
        }
        applyCharges(session, renewal.charges(), at);
        apply(new SessionRenewed(userId, session.id(), session.queue(), at, command.lastDeadline(),
                renewal.firstRenewAtMillis(), price, renewal.meter().billedSeconds(),
                renewal.meter().grantedSeconds(), renewal.deadline(), balance, expiresAt, renewal.balanceLimited()));
        if (playtimeOver) {
            end(session.id(), SessionEndReason.BALANCE_EXHAUSTED, at);
        }
        return new AccountAnswer(balance, renewal.deadline());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(StopSession command) {
        Session session = knownSession(command.session());
        if (session.status() == SessionStatus.ENDED) {
            return AccountAnswer.withBalance(balance);
        }
        long at = command.receivedAtMillis();
        if (session.status() != SessionStatus.AUTHORIZED) {
            applyCharges(session, session.billing().stop(session.clock(), session.meter(), at).charges(), at);
        }
        end(session.id(), SessionEndReason.STOPPED, at);
        return AccountAnswer.withBalance(balance);
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
    public AccountAnswer handle(DepositFunds command) {
        long amount = requirePositive(command.amount(), "A deposit amount");
        String reference = requireText(command.reference(), "reference");
        MoneyMovement earlier = earlierMovement(reference, MoneyMovement.Kind.DEPOSIT, amount, null);
        if (earlier != null) {
            return AccountAnswer.withBalance(earlier.balanceAfter());
        }
        requireWithinMaxBalance(amount);
        openIfNew(command.userId(), command.receivedAtMillis());
        apply(new FundsDeposited(userId, reference, amount, balance + amount, command.receivedAtMillis()));
        return AccountAnswer.withBalance(balance);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(RefundFunds command) {
        long amount = requirePositive(command.amount(), "A refund amount");
        String reference = requireText(command.reference(), "reference");
        String reason = requireText(command.reason(), "reason");
        MoneyMovement earlier = earlierMovement(reference, MoneyMovement.Kind.REFUND, amount, reason);
        if (earlier != null) {
            return AccountAnswer.withBalance(earlier.balanceAfter());
        }
        requireCanTake(amount);
        apply(new FundsRefunded(userId, reference, amount, reason, balance - amount, command.receivedAtMillis()));
        return AccountAnswer.withBalance(balance);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AccountAnswer handle(AdjustBalance command) {
        long amount = command.amount();
        if (amount == 0) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "An adjustment must not be zero");
        }
        String reference = requireText(command.reference(), "reference");
        String reason = requireText(command.reason(), "reason");
        MoneyMovement earlier = earlierMovement(reference, MoneyMovement.Kind.ADJUSTMENT, amount, reason);
        if (earlier != null) {
            return AccountAnswer.withBalance(earlier.balanceAfter());
        }
        if (amount > 0) {
            requireWithinMaxBalance(amount);
        } else {
            requireCanTake(-amount);
        }
        openIfNew(command.userId(), command.receivedAtMillis());
        apply(new BalanceAdjusted(userId, reference, amount, reason, balance + amount, command.receivedAtMillis()));
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

    /** The movement already recorded under {@code reference} if it is this same request; a conflict otherwise. */
    private MoneyMovement earlierMovement(String reference, MoneyMovement.Kind kind, long amount, String reason) {
        MoneyMovement earlier = moneyByReference.get(reference);
        if (earlier != null && !earlier.sameRequestAs(kind, amount, reason)) {
            throw new LedgerRefusal(LedgerError.REFERENCE_CONFLICT,
                    "Reference " + reference + " was already used for a " + earlier.describe());
        }
        return earlier;
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
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A " + what + " of 1-255 characters is required");
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
        moneyByReference.put(event.reference(),
                new MoneyMovement(MoneyMovement.Kind.DEPOSIT, event.amount(), null, event.balanceAfter()));
    }

    @EventSourcingHandler
    void on(FundsRefunded event) {
        balance = event.balanceAfter();
        moneyByReference.put(event.reference(),
                new MoneyMovement(MoneyMovement.Kind.REFUND, event.amount(), event.reason(), event.balanceAfter()));
    }

    @EventSourcingHandler
    void on(BalanceAdjusted event) {
        balance = event.balanceAfter();
        moneyByReference.put(event.reference(), new MoneyMovement(MoneyMovement.Kind.ADJUSTMENT, event.amount(),
                event.reason(), event.balanceAfter()));
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
    }
}
