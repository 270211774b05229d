package io.playbill.ledger.domain;

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
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.ledger.domain.billing.Billed;
import io.playbill.ledger.domain.billing.Billing;
import io.playbill.ledger.domain.billing.Charge;
import io.playbill.ledger.domain.billing.Renewal;
import io.playbill.ledger.domain.billing.SdkTiming;

import java.util.List;
import java.util.Optional;

/**
 * One user's prepaid account, as its events left it: a {@link Wallet} and a {@link SessionBook}. Sessions live in the
 * account because a session's charges move its balance, and requests are ordered per user: one account decides both
 * consistently. Pure: {@link #evolve} is the only way state changes, and each command's method decides, from the state,
 * the {@link Request} and the rules it is given, either a refusal or the events to record and the answer
 * ({@link Decision}). Nothing here reads a clock, a database or Kafka.
 *
 * <p>Every decision is idempotent: a retried command changes nothing and is answered the same (or, for a session that
 * has ended since, refused or answered as ended). The pure billing arithmetic is {@link Billing}'s.
 *
 * @param userId {@code null} until the account was opened by its first accepted command
 */
public record Account(String userId, Wallet wallet, SessionBook sessions) {

    /** No account yet: what a user's first command is decided against. */
    public static final Account NONE = new Account(null, Wallet.EMPTY, SessionBook.EMPTY);

    public Money balance() {
        return wallet.balance();
    }

    /** The account once {@code event} happened. */
    public Account evolve(Object event) {
        if (event instanceof AccountOpened opened) {
            return new Account(opened.userId(), wallet, sessions);
        }
        return new Account(userId, wallet.evolve(event), sessions.evolve(event));
    }

    // ---- sessions ------------------------------------------------------------------------------------------------

    /** authToken: binds the session to the user on a priced queue, if the balance pays one cycle. */
    public Decision authorize(LedgerOperation.AuthorizeSession command, Request request, PriceBook prices,
                              SessionRules rules, LedgerRegistry registry) {
        return Decision.of(() -> {
            String sessionId = new SessionId(command.session()).value();
            String queue = Text.required(command.queue(), "queue");
            Session existing = sessions.get(sessionId);
            if (existing != null) {
                if (!existing.status().active()) {
                    throw SessionBook.notFound(sessionId, "has ended");
                }
                if (!existing.queue().equals(queue)) {
                    // A well-formed request at odds with the session's state: the conflict startToken answers too.
                    throw new Refusal(LedgerError.QUEUE_MISMATCH,
                            "Session " + sessionId + " is authorized on queue " + existing.queue());
                }
                return unchanged(Answer.forSession(balance(), existing));
            }
            SessionAdmission.sessionIdIsUnclaimed(registry, sessionId, request.userId());
            BillingMode mode = SessionAdmission.billingIsOn(rules);
            long at = request.receivedAtMillis();
            long price = SessionAdmission.queueIsPriced(prices, queue, at);
            SessionAdmission.belowActiveSessionLimit(sessions, rules);
            SessionAdmission.paysOneCycle(Billing.of(mode), price, moneyForNewPlaytime(), rules.cycleSeconds());
            Changes changes = openedIfNew(request);
            changes.emit(new SessionAuthorized(request.userId(), sessionId, queue, price, at,
                    at + rules.authorizationTimeoutMillis()));
            Account after = changes.account();
            return changes.accepted(Answer.forSession(after.balance(), after.sessions().get(sessionId)));
        });
    }

    /** startToken: fixes the session's billing mode and cycle; over-bill charges the SDK's free 30 s ahead. */
    public Decision start(LedgerOperation.StartSession command, Request request, PriceBook prices,
                          SessionRules rules) {
        return Decision.of(() -> {
            Session session = sessions.active(command.session());
            if (command.queue() != null && !command.queue().equals(session.queue())) {
                throw new Refusal(LedgerError.QUEUE_MISMATCH, "Session " + session.id() + " is authorized on queue "
                        + session.queue() + ", not " + (command.queue().length() <= Text.MAX_LENGTH
                        ? CleanText.forLog(command.queue()) : "a name of " + command.queue().length() + " characters"));
            }
            long at = request.receivedAtMillis();
            SessionAdmission.notPastItsExpiry(session, at);
            if (session.status() != SessionStatus.AUTHORIZED) {
                return unchanged(Answer.forSession(balance(), session));
            }
            BillingMode mode = SessionAdmission.billingIsOn(rules);
            Billing billing = Billing.of(mode);
            long price = SessionAdmission.queueIsPriced(prices, session.queue(), at);
            SessionAdmission.paysOneCycle(billing, price, moneyForNewPlaytime(), rules.cycleSeconds());
            Billed start = billing.start(price, moneyForNewPlaytime().minorUnits());
            Changes changes = new Changes(this);
            changes.emit(new SessionStarted(userId, session.id(), session.queue(), mode,
                    Seconds.of(rules.cycleSeconds()), price, Seconds.of(start.meter().grantedSeconds()), at,
                    SdkTiming.expiryAfterStart(at)));
            charge(changes, session.id(), start.charges(), at);
            return changes.accepted(Answer.forSession(changes.account().balance(), session));
        });
    }

    /** renewToken, the billing heartbeat: charges what the mode says is due and grants the next deadline. */
    public Decision renew(LedgerOperation.RenewSession command, Request request, PriceBook prices) {
        return Decision.of(() -> {
            if (command.lastDeadline() < 0) {
                throw new Refusal(LedgerError.INVALID_REQUEST, "lastDeadline must not be negative");
            }
            Session session = sessions.known(command.session());
            if (session.status() == SessionStatus.ENDED) {
                if (session.endReason() == SessionEndReason.BALANCE_EXHAUSTED) {
                    // The spec's exhausted session: the deadline stops growing and the game ends by itself.
                    return unchanged(Answer.forRenew(balance(), Seconds.of(session.deadline()), session));
                }
                throw SessionBook.notFound(session.id(), "has ended");
            }
            if (session.status() == SessionStatus.AUTHORIZED) {
                throw SessionBook.notFound(session.id(), "has not started");
            }
            long at = request.receivedAtMillis();
            // The scan may not have run yet: a limited session whose paid playtime is over when the renew arrives
            // ends now, whatever was deposited since; any other one is as ended as the scan would leave it.
            boolean paidPlaytimeWasOver = session.balanceLimited() && session.expiresAtMillis() <= at;
            if (!paidPlaytimeWasOver) {
                SessionAdmission.notPastItsExpiry(session, at);
            }
            long price = SessionAdmission.queueIsPriced(prices, session.queue(), at);
            Renewal renewal = session.billing().renew(session.clock(), session.meter(), at, price,
                    paidPlaytimeWasOver ? 0 : moneyForNewPlaytime().minorUnits());
            // A renew received before the session's latest wants less than that one was granted, so it never looks
            // limited on its own: it keeps a limit the latest set (a deposit since lifts it at the next new renew).
            boolean limited = renewal.balanceLimited() || session.balanceLimited()
                    && session.lastRenewAtMillis() != null && at <= session.lastRenewAtMillis();
            // A session whose balance pays for no more ends when its granted playtime does (the ledger's expiry scan
            // ends it then, and the gateway stops the cloud game), not 30 s later when the SDK gives up.
            long expiresAt = limited
                    ? SdkTiming.endOfGrantedPlaytime(renewal.firstRenewAtMillis(), renewal.deadline())
                    : SdkTiming.expiryAfterRenew(renewal.firstRenewAtMillis(), renewal.deadline());
            // Only a balance-limited session ends here (any other one past its expiry was refused above).
            boolean playtimeOver = limited && expiresAt <= at;
            boolean changesNothing = session.status() == SessionStatus.BILLING && renewal.charges().isEmpty()
                    && renewal.meter().equals(session.meter()) && expiresAt == session.expiresAtMillis()
                    && !playtimeOver;
            if (changesNothing) {
                return unchanged(Answer.forRenew(balance(), Seconds.of(session.deadline()), session));
            }
            Changes changes = new Changes(this);
            charge(changes, session.id(), renewal.charges(), at);
            changes.emit(new SessionRenewed(userId, session.id(), session.queue(), at,
                    Seconds.of(command.lastDeadline()), renewal.firstRenewAtMillis(), price,
                    Seconds.of(renewal.meter().billedSeconds()), Seconds.of(renewal.meter().grantedSeconds()),
                    Seconds.of(renewal.deadline()), changes.account().balance(), expiresAt, limited));
            if (playtimeOver) {
                end(changes, session.id(), SessionEndReason.BALANCE_EXHAUSTED, at);
            }
            return changes.accepted(Answer.forRenew(changes.account().balance(), Seconds.of(renewal.deadline()),
                    session));
        });
    }

    /** The user ended the session: under-bill charges what was played; stopping an ended session is accepted. */
    public Decision stop(LedgerOperation.StopSession command, Request request, LedgerRegistry registry) {
        return Decision.of(() -> {
            String sessionId = new SessionId(command.session()).value();
            Session session = sessions.get(sessionId);
            if (session == null) {
                // Stopping an ended session is accepted, also once the account has forgotten it.
                if (registry.sessionOwner(sessionId).filter(request.userId()::equals).isPresent()) {
                    return unchanged(Answer.withBalance(balance()));
                }
                throw SessionBook.notFound(sessionId, "is not bound to this user");
            }
            if (session.status() == SessionStatus.ENDED) {
                return unchanged(Answer.forSession(balance(), session));
            }
            long at = request.receivedAtMillis();
            Changes changes = new Changes(this);
            if (!session.balanceLimited() && session.expiresAtMillis() <= at) {
                // Received after the session expired: it ended then, as the expiry scan ends it, whichever of the two
                // is decided first (decision 057). The time since its last renew is time nobody saw played.
                endAtExpiry(changes, session);
                return changes.accepted(Answer.forSession(changes.account().balance(), session));
            }
            if (session.status() != SessionStatus.AUTHORIZED) {
                charge(changes, session.id(), session.billing().stop(session.clock(), session.meter(), at).charges(),
                        at);
            }
            end(changes, session.id(), SessionEndReason.STOPPED, at);
            return changes.accepted(Answer.forSession(changes.account().balance(), session));
        });
    }

    /**
     * May a cloud game start for the session now? It must be the user's, not ended, and paid for: a billing session
     * holds its granted playtime (until a balance-limited one reaches its end), any other needs a balance that pays one
     * cycle at its queue's price now. A question: nothing is recorded.
     */
    public Decision admitCloudGame(LedgerOperation.AdmitCloudGame command, Request request, PriceBook prices,
                                   SessionRules rules) {
        return Decision.of(() -> {
            Session session = sessions.active(command.session());
            long at = request.receivedAtMillis();
            if (session.status() == SessionStatus.BILLING) {
                SessionAdmission.paidPlaytimeLeft(session, at);
            }
            SessionAdmission.notPastItsExpiry(session, at);
            if (session.status() == SessionStatus.BILLING) {
                return unchanged(Answer.forSession(balance(), session));
            }
            boolean authorized = session.status() == SessionStatus.AUTHORIZED;
            Billing billing = authorized ? Billing.of(SessionAdmission.billingIsOn(rules)) : session.billing();
            long cycle = authorized ? rules.cycleSeconds() : session.cycleSeconds();
            SessionAdmission.paysOneCycle(billing, SessionAdmission.queueIsPriced(prices, session.queue(), at),
                    moneyForNewPlaytime(), cycle);
            return unchanged(Answer.forSession(balance(), session));
        });
    }

    /**
     * Ends the session if it is still active and due at {@code checkedAtMillis}: a balance-limited session's paid
     * playtime is over (balance_exhausted), any other stopped renewing (timed_out). Nothing is charged: under-bill
     * bills only what renews saw played, and over-bill charged ahead. The event records the session's own expiry time.
     */
    public Decision expire(String sessionId, long checkedAtMillis) {
        Session session = sessions.get(sessionId);
        Changes changes = new Changes(this);
        if (session != null && session.status().active() && session.expiresAtMillis() <= checkedAtMillis) {
            endAtExpiry(changes, session);
        }
        return changes.accepted(Answer.withBalance(changes.account().balance()));
    }

    /** Ends a session at its own expiry time, as the scan finds it: exhausted if balance-limited, else timed out. */
    private void endAtExpiry(Changes changes, Session session) {
        end(changes, session.id(), session.balanceLimited() ? SessionEndReason.BALANCE_EXHAUSTED
                : SessionEndReason.TIMED_OUT, session.expiresAtMillis());
    }

    // ---- money ---------------------------------------------------------------------------------------------------

    public Decision deposit(LedgerOperation.Deposit command, Request request, LedgerRegistry registry) {
        return Decision.of(() -> {
            Money amount = MoneyRules.positive(command.amount(), "A deposit amount");
            Reference reference = new Reference(command.reference());
            Actor actor = MoneyRules.askedBySomeoneElse(request);
            Optional<Decision> retry = retried(registry, request, reference, RecordedMovement.Kind.DEPOSIT, amount, null);
            if (retry.isPresent()) {
                return retry.get();
            }
            wallet.mayCredit(amount);
            Changes changes = openedIfNew(request);
            changes.emit(new FundsDeposited(request.userId(), reference.value(), amount, balance().plus(amount),
                    request.receivedAtMillis(), actor));
            return changes.accepted(Answer.withBalance(changes.account().balance()));
        });
    }

    public Decision refund(LedgerOperation.Refund command, Request request, LedgerRegistry registry) {
        return Decision.of(() -> {
            Money amount = MoneyRules.positive(command.amount(), "A refund amount");
            Reference reference = new Reference(command.reference());
            String reason = Text.required(command.reason(), "reason");
            Actor actor = MoneyRules.askedBySomeoneElse(request);
            Optional<Decision> retry = retried(registry, request, reference, RecordedMovement.Kind.REFUND, amount, reason);
            if (retry.isPresent()) {
                return retry.get();
            }
            wallet.mayTake(amount, sessions.reservedForGrantedPlaytime());
            Changes changes = new Changes(this);
            changes.emit(new FundsRefunded(request.userId(), reference.value(), amount, reason,
                    balance().minus(amount), request.receivedAtMillis(), actor));
            return changes.accepted(Answer.withBalance(changes.account().balance()));
        });
    }

    public Decision adjust(LedgerOperation.Adjust command, Request request, LedgerRegistry registry) {
        return Decision.of(() -> {
            if (command.amount() == 0) {
                throw new Refusal(LedgerError.INVALID_REQUEST, "An adjustment must not be zero");
            }
            // Long.MIN_VALUE has no negation: refused here rather than failing the decision.
            if (command.amount() == Long.MIN_VALUE
                    || Money.of(Math.abs(command.amount())).isMoreThan(Wallet.MAX_BALANCE)) {
                throw new Refusal(LedgerError.INVALID_REQUEST, "An adjustment may not exceed " + Wallet.MAX_BALANCE);
            }
            Money amount = Money.of(command.amount());
            Reference reference = new Reference(command.reference());
            String reason = Text.required(command.reason(), "reason");
            Actor actor = MoneyRules.askedBySomeoneElse(request);
            Optional<Decision> retry = retried(registry, request, reference, RecordedMovement.Kind.ADJUSTMENT, amount, reason);
            if (retry.isPresent()) {
                return retry.get();
            }
            if (amount.isNegative()) {
                wallet.mayTake(amount.negated(), sessions.reservedForGrantedPlaytime());
            } else {
                wallet.mayCredit(amount);
            }
            Changes changes = openedIfNew(request);
            changes.emit(new BalanceAdjusted(request.userId(), reference.value(), amount, reason,
                    balance().plus(amount), request.receivedAtMillis(), actor));
            return changes.accepted(Answer.withBalance(changes.account().balance()));
        });
    }

    // ---- decisions -----------------------------------------------------------------------------------------------

    /**
     * A retry of a money movement already recorded under {@code reference} answers the balance that movement left and
     * changes nothing; the same reference for a different movement is refused ({@link MoneyRules#earlierMovement}).
     */
    private static Optional<Decision> retried(LedgerRegistry registry, Request request, Reference reference,
                                              RecordedMovement.Kind kind, Money amount, String reason) {
        return MoneyRules.earlierMovement(registry, request.userId(), reference, kind, amount, reason)
                .map(earlier -> unchanged(Answer.withBalance(Money.of(earlier.balanceAfter()))));
    }

    private static Decision unchanged(Answer answer) {
        return new Decision.Accepted(List.of(), answer);
    }

    /** The changes of a command that may be a user's first: it opens the account. */
    private Changes openedIfNew(Request request) {
        Changes changes = new Changes(this);
        if (userId == null) {
            changes.emit(new AccountOpened(request.userId(), request.receivedAtMillis()));
        }
        return changes;
    }

    /** What new playtime may be paid with: granted but unbilled playtime keeps its money. */
    private Money moneyForNewPlaytime() {
        return wallet.forNewPlaytime(sessions.reservedForGrantedPlaytime());
    }

    private static void charge(Changes changes, String sessionId, List<Charge> charges, long atMillis) {
        for (Charge charge : charges) {
            Account account = changes.account();
            Money balanceAfter = account.balance().minus(Money.of(charge.amount()));
            if (balanceAfter.isNegative()) {
                // Grants only promise money that is there, so this is a bug: refuse to store it.
                throw new IllegalStateException("Charge " + charge + " would make the balance of "
                        + account.userId() + " negative");
            }
            changes.emit(new PlaytimeCharged(account.userId(), sessionId, account.sessions().get(sessionId).queue(),
                    atMillis, charge.pricePerMinute(), Seconds.of(charge.seconds()),
                    Seconds.of(charge.billedSeconds()), Money.of(charge.amount()), balanceAfter));
        }
    }

    private static void end(Changes changes, String sessionId, SessionEndReason reason, long atMillis) {
        Account account = changes.account();
        Session session = account.sessions().get(sessionId);
        changes.emit(new SessionEnded(account.userId(), sessionId, session.queue(), reason, atMillis,
                Seconds.of(session.meter().billedSeconds()), Money.of(session.chargedAmount()),
                Seconds.of(session.deadline()), account.balance()));
    }
}
