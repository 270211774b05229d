package io.playbill.ledger.axon;

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
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.SessionRules;
import org.axonframework.messaging.MetaData;

import java.util.Arrays;
import java.util.List;

/**
 * The events of the fixture tests' one user, session and queue, so the tests read as the spec's timelines: named
 * builders for the events with many numbers ({@code renew().at(T0 + 35_500).billed(35).granted(95).deadline(95)
 * .balance(65)}), and {@link #events} to turn builders into events where a fixture takes them. Times are
 * milliseconds; the price is 60 per minute, i.e. one minor unit per second, unless a test says so.
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

    /** Something that names an event by its parts: {@link #events} builds it. */
    interface EventBuilder {
        Object event();
    }

    /** The events, with every builder among them built. */
    static Object[] events(Object... eventsOrBuilders) {
        return Arrays.stream(eventsOrBuilders)
                .map(item -> item instanceof EventBuilder builder ? builder.event() : item)
                .toArray();
    }

    /** The request metadata of the account's own user at {@code atMillis}: session commands. */
    static MetaData at(long atMillis) {
        return at(atMillis, Actor.player(USER));
    }

    /** The request metadata of {@code actor} acting on the account at {@code atMillis}: money commands. */
    static MetaData at(long atMillis, Actor actor) {
        return request(USER, atMillis, actor);
    }

    /** The request metadata of {@code user} acting on their own account at {@code atMillis}. */
    static MetaData request(String user, long atMillis) {
        return request(user, atMillis, Actor.player(user));
    }

    /** The request metadata of {@code actor} acting on {@code user}'s account at {@code atMillis}. */
    static MetaData request(String user, long atMillis, Actor actor) {
        return LedgerCommands.metaData(new io.playbill.ledger.domain.Request(user, atMillis, actor));
    }

    static Money money(long minorUnits) {
        return Money.of(minorUnits);
    }

    static Seconds seconds(long seconds) {
        return Seconds.of(seconds);
    }

    static AccountOpened opened() {
        return new AccountOpened(USER, T - 60_000);
    }

    static FundsDeposited deposited(long amount, String reference, long balanceAfter) {
        return new FundsDeposited(USER, reference, money(amount), money(balanceAfter), T - 60_000, FINANCE);
    }

    static SessionAuthorized authorized(long at) {
        return new SessionAuthorized(USER, SESSION, QUEUE, PRICE, at, at + AUTHORIZATION_TIMEOUT);
    }

    static SessionStarted started(BillingMode mode, long at) {
        return new SessionStarted(USER, SESSION, QUEUE, mode, seconds(CYCLE), PRICE,
                seconds(mode == BillingMode.OVER ? 30 : 0), at, at + 60_000);
    }

    /** A {@link PlaytimeCharged} of the session at the fixture's price unless {@link Charge#price} says otherwise. */
    static Charge charge() {
        return new Charge(0, PRICE, 0, 0, 0, 0);
    }

    record Charge(long at, long price, long seconds, long billed, long amount, long balance) implements EventBuilder {

        Charge at(long atMillis) {
            return new Charge(atMillis, price, seconds, billed, amount, balance);
        }

        Charge price(long pricePerMinute) {
            return new Charge(at, pricePerMinute, seconds, billed, amount, balance);
        }

        /** The seconds this charge bills. */
        Charge seconds(long charged) {
            return new Charge(at, price, charged, billed, amount, balance);
        }

        /** The session's billed seconds once charged. */
        Charge billed(long billedSeconds) {
            return new Charge(at, price, seconds, billedSeconds, amount, balance);
        }

        Charge amount(long minorUnits) {
            return new Charge(at, price, seconds, billed, minorUnits, balance);
        }

        /** The balance after the charge. */
        Charge balance(long balanceAfter) {
            return new Charge(at, price, seconds, billed, amount, balanceAfter);
        }

        @Override
        public PlaytimeCharged event() {
            return new PlaytimeCharged(USER, SESSION, QUEUE, at, price, AccountEvents.seconds(seconds),
                    AccountEvents.seconds(billed), money(amount), money(balance));
        }
    }

    /**
     * A {@link SessionRenewed} of the session at the fixture's price; it expires at t0 + deadline + 30 s, or, when
     * {@link Renew#limited}, at t0 + deadline, the end of what the balance pays for.
     */
    static Renew renew() {
        return new Renew(0, 0, 0, PRICE, 0, 0, 0, 0, false);
    }

    record Renew(long at, long lastDeadline, long t0, long price, long billed, long granted, long deadline,
                 long balance, boolean balanceLimited) implements EventBuilder {

        Renew at(long atMillis) {
            return new Renew(atMillis, lastDeadline, t0, price, billed, granted, deadline, balance, balanceLimited);
        }

        /** The deadline the client said it held. */
        Renew lastDeadline(long seconds) {
            return new Renew(at, seconds, t0, price, billed, granted, deadline, balance, balanceLimited);
        }

        /** The first renew's receive time. */
        Renew t0(long firstRenewAtMillis) {
            return new Renew(at, lastDeadline, firstRenewAtMillis, price, billed, granted, deadline, balance, balanceLimited);
        }

        Renew price(long pricePerMinute) {
            return new Renew(at, lastDeadline, t0, pricePerMinute, billed, granted, deadline, balance, balanceLimited);
        }

        Renew billed(long seconds) {
            return new Renew(at, lastDeadline, t0, price, seconds, granted, deadline, balance, balanceLimited);
        }

        Renew granted(long seconds) {
            return new Renew(at, lastDeadline, t0, price, billed, seconds, deadline, balance, balanceLimited);
        }

        Renew deadline(long seconds) {
            return new Renew(at, lastDeadline, t0, price, billed, granted, seconds, balance, balanceLimited);
        }

        /** The balance after the renew. */
        Renew balance(long balanceAfter) {
            return new Renew(at, lastDeadline, t0, price, billed, granted, deadline, balanceAfter, balanceLimited);
        }

        /** The deadline is all the balance pays for: the session ends at t0 + deadline. */
        Renew limited() {
            return new Renew(at, lastDeadline, t0, price, billed, granted, deadline, balance, true);
        }

        @Override
        public SessionRenewed event() {
            long expiresAt = t0 + (balanceLimited ? deadline : deadline + 30) * 1000;
            return new SessionRenewed(USER, SESSION, QUEUE, at, seconds(lastDeadline), t0, price, seconds(billed),
                    seconds(granted), seconds(deadline), money(balance), expiresAt, balanceLimited);
        }
    }

    /** A {@link SessionEnded} of the session for {@code reason}. */
    static End end(SessionEndReason reason) {
        return new End(reason, 0, 0, 0, 0, 0);
    }

    record End(SessionEndReason reason, long at, long billed, long charged, long deadline, long balance)
            implements EventBuilder {

        End at(long atMillis) {
            return new End(reason, atMillis, billed, charged, deadline, balance);
        }

        /** The session's billed seconds in total. */
        End billed(long seconds) {
            return new End(reason, at, seconds, charged, deadline, balance);
        }

        /** What the session cost in total. */
        End charged(long minorUnits) {
            return new End(reason, at, billed, minorUnits, deadline, balance);
        }

        End deadline(long seconds) {
            return new End(reason, at, billed, charged, seconds, balance);
        }

        /** The balance once the session ended. */
        End balance(long balanceAfter) {
            return new End(reason, at, billed, charged, deadline, balanceAfter);
        }

        @Override
        public SessionEnded event() {
            return new SessionEnded(USER, SESSION, QUEUE, reason, at, seconds(billed), money(charged),
                    seconds(deadline), money(balance));
        }
    }

    /** What a session command answers: the balance and the session's queue. */
    static Answer answered(long balance) {
        return new Answer(money(balance), null, QUEUE);
    }

    /** What a renew answers: the balance, the deadline and the session's queue. */
    static Answer answered(long balance, long deadline) {
        return new Answer(money(balance), seconds(deadline), QUEUE);
    }

    /** What a money command answers: the balance. */
    static Answer balance(long balance) {
        return Answer.withBalance(money(balance));
    }

    static SessionRules rules(BillingMode billing) {
        return new SessionRules(billing, CYCLE, 1, AUTHORIZATION_TIMEOUT);
    }
}
