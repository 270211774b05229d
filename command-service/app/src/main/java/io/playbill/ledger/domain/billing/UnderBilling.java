package io.playbill.ledger.domain.billing;

import java.util.List;

/**
 * Under-bill, the recommended mode: playtime is charged after it was played, rounded down, so the user is never
 * charged more than they played. The billing clock starts at t0 (the first renew); the SDK's free 30 s before it
 * are never charged.
 *
 * <p>Time granularity: played seconds = floor((now − t0) / 1000), clamped to what was already billed (a late or
 * out-of-order request never bills less) and to what was granted (playtime past the deadline was not played).
 * A request received no later than the latest renew decided bills nothing: what it may bill is what was granted
 * before that renew, and that renew billed it. Otherwise a redelivered late renew would bill up to the grant its own
 * first delivery made, and be answered a different balance.
 */
public final class UnderBilling implements Billing {

    static final UnderBilling INSTANCE = new UnderBilling();

    private UnderBilling() {
    }

    @Override
    public Rounding rounding() {
        return Rounding.DOWN;
    }

    /** Nothing is charged at start: the game may still fail to start. */
    @Override
    public Billed start(long pricePerMinute, long money) {
        return new Billed(Meter.NOTHING_GRANTED, List.of());
    }

    /**
     * First renew: t0 = now, nothing to charge, deadline = min(C, pays(balance)). Later renews: charge the played
     * seconds, then deadline = billed + min(C, pays(balance after the charge)).
     */
    @Override
    public Renewal renew(SessionClock clock, Meter meter, long nowMillis, long pricePerMinute, long money) {
        long firstRenewAt = clock.firstRenewAt(nowMillis);
        long played = playedSeconds(clock, firstRenewAt, meter, nowMillis);
        List<Charge> charges = meter.chargesUpTo(played, Rounding.DOWN);
        Meter billed = meter.billUntil(played);
        long wanted = played + clock.cycleSeconds();
        long paid = billed.reachablePaidBy(pricePerMinute, money, Rounding.DOWN);
        Meter granted = billed.grantUntil(Math.min(wanted, paid), pricePerMinute);
        return new Renewal(firstRenewAt, charges, granted, granted.grantedSeconds(), paid < wanted);
    }

    /** Bills the seconds played until the stop; a session that never renewed played nothing billable. */
    @Override
    public Billed stop(SessionClock clock, Meter meter, long nowMillis) {
        if (clock.firstRenewAtMillis() == null) {
            return new Billed(meter, List.of());
        }
        long played = playedSeconds(clock, clock.firstRenewAtMillis(), meter, nowMillis);
        return new Billed(meter.billUntil(played), meter.chargesUpTo(played, Rounding.DOWN));
    }

    private static long playedSeconds(SessionClock clock, long firstRenewAtMillis, Meter meter, long nowMillis) {
        if (!clock.isAfterLastRenew(nowMillis)) {
            return meter.billedSeconds();
        }
        long sinceFirstRenew = Math.floorDiv(nowMillis - firstRenewAtMillis, 1000);
        return Math.min(Math.max(sinceFirstRenew, meter.billedSeconds()), meter.grantedSeconds());
    }
}
