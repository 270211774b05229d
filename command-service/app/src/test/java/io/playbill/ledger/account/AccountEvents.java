package io.playbill.ledger.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;

import java.util.List;

/**
 * The events of the fixture tests' one user, session and queue, so the tests read as the spec's timelines.
 * Times are milliseconds; the price is 60 per minute, i.e. one minor unit per second, unless a test says so.
 */
final class AccountEvents {

    static final String USER = "alice";
    static final String SESSION = "s1";
    static final String QUEUE = "standard";
    static final long PRICE = 60;
    static final long CYCLE = 60;
    /** An arbitrary moment: the authToken of the session under test. */
    static final long T = 1_700_000_000_000L;
    static final long AUTHORIZATION_TIMEOUT = 600_000;
    /** Who moves money in these tests: a finance user, never the account's own user. */
    static final Actor FINANCE = new Actor("fiona", List.of("finance"));

    private AccountEvents() {
    }

    static AccountOpened opened() {
        return new AccountOpened(USER, T - 60_000);
    }

    static FundsDeposited deposited(long amount, String reference, long balanceAfter) {
        return new FundsDeposited(USER, reference, amount, balanceAfter, T - 60_000, FINANCE);
    }

    static SessionAuthorized authorized(long at) {
        return new SessionAuthorized(USER, SESSION, QUEUE, PRICE, at, at + AUTHORIZATION_TIMEOUT);
    }

    static SessionStarted started(BillingMode mode, long at) {
        return new SessionStarted(USER, SESSION, QUEUE, mode, CYCLE, PRICE, mode == BillingMode.OVER ? 30 : 0, at,
                at + 60_000);
    }

    static PlaytimeCharged charged(long at, long seconds, long billedSeconds, long amount, long balanceAfter) {
        return charged(at, PRICE, seconds, billedSeconds, amount, balanceAfter);
    }

    static PlaytimeCharged charged(long at, long price, long seconds, long billedSeconds, long amount,
                                   long balanceAfter) {
        return new PlaytimeCharged(USER, SESSION, QUEUE, at, price, seconds, billedSeconds, amount, balanceAfter);
    }

    static SessionRenewed renewed(long at, long lastDeadline, long t0, long billed, long granted, long deadline,
                                  long balanceAfter) {
        return renewed(at, lastDeadline, t0, PRICE, billed, granted, deadline, balanceAfter);
    }

    static SessionRenewed renewed(long at, long lastDeadline, long t0, long price, long billed, long granted,
                                  long deadline, long balanceAfter) {
        return new SessionRenewed(USER, SESSION, QUEUE, at, lastDeadline, t0, price, billed, granted, deadline,
                balanceAfter, t0 + (deadline + 30) * 1000, false);
    }

    /** A renew whose deadline is all the balance pays for: the session ends at t0 + deadline. */
    static SessionRenewed renewedLimited(long at, long lastDeadline, long t0, long billed, long granted,
                                         long deadline, long balanceAfter) {
        return renewedLimited(at, lastDeadline, t0, PRICE, billed, granted, deadline, balanceAfter);
    }

    static SessionRenewed renewedLimited(long at, long lastDeadline, long t0, long price, long billed, long granted,
                                         long deadline, long balanceAfter) {
        return new SessionRenewed(USER, SESSION, QUEUE, at, lastDeadline, t0, price, billed, granted, deadline,
                balanceAfter, t0 + deadline * 1000, true);
    }

    static SessionEnded ended(SessionEndReason reason, long at, long billed, long charged, long deadline,
                              long balanceAfter) {
        return new SessionEnded(USER, SESSION, QUEUE, reason, at, billed, charged, deadline, balanceAfter);
    }

    /** What a session command answers: the balance and the session's queue. */
    static AccountAnswer answered(long balance) {
        return new AccountAnswer(balance, null, QUEUE);
    }

    /** What a renew answers: the balance, the deadline and the session's queue. */
    static AccountAnswer answered(long balance, long deadline) {
        return new AccountAnswer(balance, deadline, QUEUE);
    }

    static SessionRules rules(BillingSetting billing) {
        return new SessionRules(billing, CYCLE, 1, AUTHORIZATION_TIMEOUT);
    }
}
