package io.playbill.query.support;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A small but complete ledger history, computed by hand with the rules of token-spec §5 (C = 60 s):
 * <ul>
 *   <li>user A (under-bill) deposits 1000; plays session s1 on q1 (100/min, 120/min from T+60 s) from t0 = T+25 s
 *   with renews at t0+30.7 s and t0+75.2 s and a stop at t0+100.9 s (charges 50, 75, then 25 at 100/min and 20 at
 *   120/min for the stretch granted after the price change: 170 for 100 s); is refunded 200; times out on s2 (q2,
 *   300/min) without a charge; is adjusted by −30; has s3 authorized and still active. Balance 600.</li>
 *   <li>user B (over-bill), the next day across 01:00 UTC, deposits 500; session b1 on q2 charges the free 30 s at
 *   the start (150), then up to now + C at each renew (205, 145) until the balance is exhausted; then deposits 250
 *   and is adjusted by +50. Balance 300.</li>
 * </ul>
 * Every event is stored and published once; some are published again (at-least-once redelivery).
 */
public final class ScriptedHistory {

    public final String id = UUID.randomUUID().toString().substring(0, 8);
    public final String userA = "alice-" + id;
    public final String userB = "bob-" + id;
    public final String q1 = "q1-" + id;
    public final String q2 = "q2-" + id;
    /** User A's day starts at T = day + 10 h. */
    public final Instant t;
    /** User B's session starts at U = day + 1 d + 59 min 30 s. */
    public final Instant u;

    public ScriptedHistory(Instant day) {
        this.t = day.plus(Duration.ofHours(10));
        this.u = day.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(59)).plusSeconds(30);
    }

    public ScriptedHistory write(LedgerFixture ledger) {
        prices().forEach(price -> ledger.price(price.queue(), price.pricePerMinute(),
                Instant.ofEpochMilli(price.effectiveFromMillis())));
        LedgerFixture.Account a = ledger.account(userA).add(accountA().toArray());
        ledger.redeliver(a.events().subList(5, 9));
        LedgerFixture.Account b = ledger.account(userB).add(accountB().toArray());
        ledger.redeliver(b.events().subList(4, 7));
        return this;
    }

    public List<PriceSet> prices() {
        return List.of(new PriceSet(q1, 100, at(t, -3_600_000), "admin", null),
                new PriceSet(q2, 300, at(t, -3_600_000), "admin", null),
                new PriceSet(q1, 120, at(t, 60_000), "admin", null));
    }

    public List<Object> accountA() {
        long t0 = at(t, 25_000);
        return List.of(new AccountOpened(userA, at(t, 0)),
                new FundsDeposited(userA, "dep-1", Money.of(1000), Money.of(1000), at(t, 0), null),
                new SessionAuthorized(userA, "s1", q1, 100, at(t, 10_000), at(t, 310_000)),
                new SessionStarted(userA, "s1", q1, BillingMode.UNDER, Seconds.of(60), 100, Seconds.of(0), at(t, 20_000), at(t, 80_000)),
                new SessionRenewed(userA, "s1", q1, t0, Seconds.of(0), t0, 100, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(1000), t0 + 90_000, false),
                new PlaytimeCharged(userA, "s1", q1, t0 + 30_700, 100, Seconds.of(30), Seconds.of(30), Money.of(50), Money.of(950)),
                new SessionRenewed(userA, "s1", q1, t0 + 30_700, Seconds.of(60), t0, 100, Seconds.of(30), Seconds.of(90), Seconds.of(90), Money.of(950), t0 + 120_000, false),
                new PlaytimeCharged(userA, "s1", q1, t0 + 75_200, 100, Seconds.of(45), Seconds.of(75), Money.of(75), Money.of(875)),
                new SessionRenewed(userA, "s1", q1, t0 + 75_200, Seconds.of(90), t0, 120, Seconds.of(75), Seconds.of(135), Seconds.of(135), Money.of(875), t0 + 165_000, false),
                new PlaytimeCharged(userA, "s1", q1, t0 + 100_900, 100, Seconds.of(15), Seconds.of(90), Money.of(25), Money.of(850)),
                new PlaytimeCharged(userA, "s1", q1, t0 + 100_900, 120, Seconds.of(10), Seconds.of(100), Money.of(20), Money.of(830)),
                new SessionEnded(userA, "s1", q1, SessionEndReason.STOPPED, t0 + 100_900, Seconds.of(100), Money.of(170), Seconds.of(135), Money.of(830)),
                new FundsRefunded(userA, "ref-1", Money.of(200), "goodwill, \"late\" start", Money.of(630), at(t, 200_000), null),
                new SessionAuthorized(userA, "s2", q2, 300, at(t, 300_000), at(t, 600_000)),
                new SessionStarted(userA, "s2", q2, BillingMode.UNDER, Seconds.of(60), 300, Seconds.of(0), at(t, 305_000), at(t, 365_000)),
                new SessionRenewed(userA, "s2", q2, at(t, 310_000), Seconds.of(0), at(t, 310_000), 300, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(630), at(t, 400_000), false),
                new SessionEnded(userA, "s2", q2, SessionEndReason.TIMED_OUT, at(t, 400_000), Seconds.of(0), Money.of(0), Seconds.of(60), Money.of(630)),
                new BalanceAdjusted(userA, "adj-1", Money.of(-30), "correction", Money.of(600), at(t, 500_000), null),
                new SessionAuthorized(userA, "s3", q2, 300, at(t, 600_000), at(t, 900_000)));
    }

    public List<Object> accountB() {
        long s0 = at(u, 20_400);
        return List.of(new AccountOpened(userB, at(u, 0)),
                new FundsDeposited(userB, "dep-b1", Money.of(500), Money.of(500), at(u, 0), null),
                new SessionAuthorized(userB, "b1", q2, 300, at(u, 5_000), at(u, 305_000)),
                new SessionStarted(userB, "b1", q2, BillingMode.OVER, Seconds.of(60), 300, Seconds.of(30), at(u, 10_000), at(u, 70_000)),
                new PlaytimeCharged(userB, "b1", q2, at(u, 10_000), 300, Seconds.of(30), Seconds.of(30), Money.of(150), Money.of(350)),
                new PlaytimeCharged(userB, "b1", q2, s0, 300, Seconds.of(41), Seconds.of(71), Money.of(205), Money.of(145)),
                new SessionRenewed(userB, "b1", q2, s0, Seconds.of(0), s0, 300, Seconds.of(71), Seconds.of(71), Seconds.of(60), Money.of(145), s0 + 90_000, false),
                new PlaytimeCharged(userB, "b1", q2, s0 + 30_000, 300, Seconds.of(29), Seconds.of(100), Money.of(145), Money.of(0)),
                new SessionRenewed(userB, "b1", q2, s0 + 30_000, Seconds.of(60), s0, 300, Seconds.of(100), Seconds.of(100), Seconds.of(89), Money.of(0), s0 + 119_000, false),
                new SessionRenewed(userB, "b1", q2, s0 + 60_000, Seconds.of(89), s0, 300, Seconds.of(100), Seconds.of(100), Seconds.of(89), Money.of(0), s0 + 119_000, false),
                new SessionEnded(userB, "b1", q2, SessionEndReason.BALANCE_EXHAUSTED, s0 + 60_000, Seconds.of(100), Money.of(500), Seconds.of(89), Money.of(0)),
                new FundsDeposited(userB, "dep-b2", Money.of(250), Money.of(250), at(u, 3_600_000), null),
                new BalanceAdjusted(userB, "adj-b1", Money.of(50), "promo, \"spring\"\nsecond line", Money.of(300), at(u, 3_700_000), null));
    }

    private static long at(Instant base, long plusMillis) {
        return base.toEpochMilli() + plusMillis;
    }
}
