package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One account's events for the audit's tests, each written as the ledger records it: what an event carries
 * from the ones before it (balance after, seconds billed so far, t0, the session's price and last deadline) is
 * filled in, so a test names only what the command decided. A history broken on purpose adds the raw event.
 */
public final class AccountEvents {

    public static final String USER = "u";
    public static final String QUEUE = "q";
    /** The price of {@link #QUEUE} per minute, in force from before {@code T} on. */
    public static final long PRICE = 100;
    private static final long CYCLE_SECONDS = 60;

    private final long t;
    private final List<Object> events = new ArrayList<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private long balance;

    /** An account opened at {@code t}. */
    public AccountEvents(long t) {
        this.t = t;
        events.add(new AccountOpened(USER, t));
    }

    /** The price history every history here is checked against. */
    public static PriceHistory prices(long t) {
        PriceHistory prices = new PriceHistory();
        prices.add(new PriceSet(QUEUE, PRICE, t - 1000, "admin", null));
        return prices;
    }

    public AccountEvents deposit(long amount) {
        balance += amount;
        return add(new FundsDeposited(USER, "d" + events.size(), Money.of(amount), Money.of(balance), t, null));
    }

    /** Session {@code id} authorized and started at {@code t} at {@link #PRICE}, granting {@code granted} s. */
    public AccountEvents start(String id, BillingMode mode, long granted) {
        sessions.put(id, new Session());
        add(new SessionAuthorized(USER, id, QUEUE, PRICE, t, t + 60_000));
        return add(new SessionStarted(USER, id, QUEUE, mode, Seconds.of(CYCLE_SECONDS), PRICE, Seconds.of(granted), t,
                t + 60_000));
    }

    /** A charge of {@code seconds} more, costing {@code amount}, received at {@code at}. */
    public AccountEvents charge(String id, long at, long seconds, long amount) {
        Session session = sessions.get(id);
        session.billed += seconds;
        session.charged += amount;
        balance -= amount;
        return add(new PlaytimeCharged(USER, id, QUEUE, at, PRICE, Seconds.of(seconds), Seconds.of(session.billed),
                Money.of(amount), Money.of(balance)));
    }

    /** A renew received at {@code at} granting up to {@code granted} s with the given deadline (s after t0). */
    public AccountEvents renew(String id, long at, long granted, long deadline) {
        Session session = sessions.get(id);
        long t0 = session.firstRenewAt == null ? at : session.firstRenewAt;
        session.firstRenewAt = t0;
        long lastDeadline = session.deadline;
        session.deadline = deadline;
        return add(new SessionRenewed(USER, id, QUEUE, at, Seconds.of(lastDeadline), t0, PRICE,
                Seconds.of(session.billed), Seconds.of(granted), Seconds.of(deadline), Money.of(balance),
                t0 + (deadline + 30) * 1000, false));
    }

    /** An under-bill renew: its deadline is the playtime granted. */
    public AccountEvents renew(String id, long at, long granted) {
        return renew(id, at, granted, granted);
    }

    /** The player stopped the session at {@code at}. */
    public AccountEvents stop(String id, long at) {
        Session session = sessions.get(id);
        return add(new SessionEnded(USER, id, QUEUE, SessionEndReason.STOPPED, at, Seconds.of(session.billed),
                Money.of(session.charged), Seconds.of(session.deadline), Money.of(balance)));
    }

    /** Any event as it is, e.g. one that records what the events before it do not give. */
    public AccountEvents add(Object event) {
        events.add(event);
        return this;
    }

    public List<Object> payloads() {
        return List.copyOf(events);
    }

    /** The events as the audit reads them, numbered from 0. */
    public List<AuditEvent> auditEvents() {
        return asAuditEvents(USER, events);
    }

    public static List<AuditEvent> asAuditEvents(String user, List<Object> payloads) {
        List<AuditEvent> result = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            Object payload = payloads.get(i);
            result.add(new AuditEvent(UUID.randomUUID().toString(), user, i, payload.getClass().getName(), payload,
                    Instant.now()));
        }
        return result;
    }

    private static final class Session {
        Long firstRenewAt;
        long billed;
        long charged;
        long deadline;
    }
}
