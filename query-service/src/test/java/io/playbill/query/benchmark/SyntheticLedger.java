package io.playbill.query.benchmark;

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
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Valid ledger histories in bulk, interleaved across users (each user's events stay in order). Every user deposits
 * 100 000 and plays under-bill sessions at 60/min (a second costs 1) with C = 60: renews every 30 s charge 30, a stop
 * 10 s after the last renew charges 10. A session is 11 events.
 */
final class SyntheticLedger implements Iterator<GenericDomainEventMessage<?>> {

    static final String QUEUE = "bench";
    private static final long PRICE = 60;
    private static final int RENEWS = 3;

    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final int users;
    private final int sessionsPerUser;
    private final long start;
    private final List<List<Object>> pending = new ArrayList<>();
    private final long[] sequence;
    private final int[] sessionsDone;
    private int next;
    private long produced;
    private final long total;

    SyntheticLedger(int users, int sessionsPerUser, Instant start) {
        this.users = users;
        this.sessionsPerUser = sessionsPerUser;
        this.start = start.toEpochMilli();
        this.sequence = new long[users];
        this.sessionsDone = new int[users];
        for (int u = 0; u < users; u++) {
            pending.add(new ArrayList<>(List.of(new AccountOpened(user(u), at(u, 0)),
                    new FundsDeposited(user(u), "d", Money.of(100_000), Money.of(100_000), at(u, 0), null))));
        }
        this.total = (long) users * (2 + 11L * sessionsPerUser);
    }

    static PriceSet price(Instant start) {
        return new PriceSet(QUEUE, PRICE, start.toEpochMilli() - 60_000, "bench", null);
    }

    long total() {
        return total;
    }

    @Override
    public boolean hasNext() {
        return produced < total;
    }

    /** The next event of the next user in turn that still has events. */
    @Override
    public GenericDomainEventMessage<?> next() {
        while (true) {
            int u = next;
            next = (next + 1) % users;
            if (pending.get(u).isEmpty() && sessionsDone[u] < sessionsPerUser) {
                pending.get(u).addAll(session(u, sessionsDone[u]++));
            }
            if (!pending.get(u).isEmpty()) {
                produced++;
                Object payload = pending.get(u).remove(0);
                return new GenericDomainEventMessage<>("UserAccount", user(u), sequence[u]++, payload,
                        MetaData.emptyInstance(), UUID.randomUUID().toString(), Instant.now());
            }
        }
    }

    private List<Object> session(int u, int n) {
        String user = user(u);
        String id = "s" + n;
        long begin = at(u, 1_000_000L * (n + 1));
        long t0 = begin + 1_000;
        long balance = 100_000 - n * (30L * RENEWS + 10);
        List<Object> events = new ArrayList<>();
        events.add(new SessionAuthorized(user, id, QUEUE, PRICE, begin - 1_000, begin + 300_000));
        events.add(new SessionStarted(user, id, QUEUE, BillingMode.UNDER, Seconds.of(60), PRICE, Seconds.of(0), begin, begin + 60_000));
        events.add(new SessionRenewed(user, id, QUEUE, t0, Seconds.of(0), t0, PRICE, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(balance), t0 + 90_000, false));
        for (int i = 1; i <= RENEWS; i++) {
            long now = t0 + 30_000L * i;
            balance -= 30;
            events.add(new PlaytimeCharged(user, id, QUEUE, now, PRICE, Seconds.of(30), Seconds.of(30L * i), Money.of(30), Money.of(balance)));
            events.add(new SessionRenewed(user, id, QUEUE, now, Seconds.of(30L * i + 30), t0, PRICE, Seconds.of(30L * i), Seconds.of(30L * i + 60), Seconds.of(30L * i + 60), Money.of(balance), now + 120_000, false));
        }
        long stop = t0 + 30_000L * RENEWS + 10_000;
        balance -= 10;
        long billed = 30L * RENEWS + 10;
        events.add(new PlaytimeCharged(user, id, QUEUE, stop, PRICE, Seconds.of(10), Seconds.of(billed), Money.of(10), Money.of(balance)));
        events.add(new SessionEnded(user, id, QUEUE, SessionEndReason.STOPPED, stop, Seconds.of(billed), Money.of(billed), Seconds.of(30L * RENEWS + 60), Money.of(balance)));
        return events;
    }

    private String user(int u) {
        return prefix + u;
    }

    /** Users start a second apart; a user's sessions are 1000 s apart. */
    private long at(int u, long plusMillis) {
        return start + u * 1_000L + plusMillis;
    }
}
