package io.playbill.ledger.domain.billing;

import java.util.List;

/**
 * Over-bill: playtime is charged before it is played, rounded up, so the user is never charged less than they
 * played. The billing clock starts at the startToken: the start charges the SDK's free 30 s, every renew charges
 * up to now + C, and the deadline is the end of the charged time, counted from t0.
 *
 * <p>Time granularity: seconds since the start = ceil((now − start) / 1000); the deadline is rounded down so that
 * it never passes the charged time.
 */
public final class OverBilling implements Billing {

    static final OverBilling INSTANCE = new OverBilling();

    private OverBilling() {
    }

    @Override
    public Rounding rounding() {
        return Rounding.UP;
    }

    @Override
    public Billed start(long pricePerMinute, long money) {
        return grantAndCharge(Meter.NOTHING_GRANTED, SdkTiming.FREE_SECONDS_AFTER_START, pricePerMinute, money);
    }

    @Override
    public Renewal renew(SessionClock clock, Meter meter, long nowMillis, long pricePerMinute, long money) {
        long firstRenewAt = clock.firstRenewAt(nowMillis);
        long wanted = secondsRoundedUp(nowMillis - clock.startedAtMillis()) + clock.cycleSeconds();
        Billed charged = grantAndCharge(meter, wanted, pricePerMinute, money);
        long chargedUntilMillis = clock.startedAtMillis() + charged.meter().grantedSeconds() * 1000;
        long deadline = Math.max(0, Math.floorDiv(chargedUntilMillis - firstRenewAt, 1000));
        // The balance paid for less than a cycle past now: the user keeps what is paid (the deadline), no more.
        boolean limited = charged.meter().grantedSeconds() < wanted;
        return new Renewal(firstRenewAt, charged.charges(), charged.meter(), deadline, limited);
    }

    /** Everything granted is already paid for; the unused rest is the operator's, as the mode promises. */
    @Override
    public Billed stop(SessionClock clock, Meter meter, long nowMillis) {
        return new Billed(meter, List.of());
    }

    private static long secondsRoundedUp(long millis) {
        return -Math.floorDiv(-millis, 1000);
    }

    private static Billed grantAndCharge(Meter meter, long wantedSecond, long pricePerMinute, long money) {
        long reach = Math.min(wantedSecond, meter.reachablePaidBy(pricePerMinute, money, Rounding.UP));
        Meter granted = meter.grantUntil(reach, pricePerMinute);
        List<Charge> charges = granted.chargesUpTo(granted.grantedSeconds(), Rounding.UP);
        return new Billed(granted.billUntil(granted.grantedSeconds()), charges);
    }
}
