package io.playbill.ledger.domain.billing;

import io.playbill.ledger.api.events.BillingMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's worked examples on the pure billing rules, without Axon: C = 60 s, 60 per minute (1 per second).
 * {@code money} is the balance minus what granted but unbilled playtime still costs.
 */
class BillingModesTest {

    private static final long START = 1_700_000_005_000L;
    private static final long PRICE = 60;

    private final Billing under = Billing.of(BillingMode.UNDER);
    private final Billing over = Billing.of(BillingMode.OVER);

    @Test
    void underBillFirstRenewChargesNothingAndGrantsWhatTheBalancePaysUpToOneCycle() {
        long t0 = START + 3000;

        Renewal plenty = under.renew(new SessionClock(START, null, 60), Meter.NOTHING_GRANTED, t0, PRICE, 1000);
        Renewal little = under.renew(new SessionClock(START, null, 60), Meter.NOTHING_GRANTED, t0, PRICE, 30);

        assertThat(plenty.firstRenewAtMillis()).isEqualTo(t0);
        assertThat(plenty.charges()).isEmpty();
        assertThat(plenty.deadline()).isEqualTo(60);
        assertThat(plenty.balanceLimited()).isFalse();
        assertThat(little.deadline()).isEqualTo(30);
        assertThat(little.balanceLimited()).as("the balance pays for half a cycle").isTrue();
    }

    @Test
    void underBillLaterRenewChargesThePlayedSecondsRoundedDown() {
        long t0 = START + 3000;
        SessionClock clock = new SessionClock(START, t0, 60);
        Meter afterFirst = Meter.NOTHING_GRANTED.grantUntil(60, PRICE);

        Renewal second = under.renew(clock, afterFirst, t0 + 35_999, PRICE, 100 - 60);

        assertThat(second.charges()).containsExactly(new Charge(PRICE, 35, 35, 35));
        assertThat(second.deadline()).isEqualTo(95);
        assertThat(second.meter().unbilledCost(Rounding.DOWN)).isEqualTo(60);
    }

    @Test
    void underBillRequestsReceivedNoLaterThanTheLatestRenewBillNothing() {
        long t0 = START + 3000;
        long late = t0 + 200_000;
        Meter afterFirst = Meter.NOTHING_GRANTED.grantUntil(60, PRICE);
        Renewal lateRenew = under.renew(new SessionClock(START, t0, 60), afterFirst, late, PRICE, 1000 - 60);
        SessionClock afterLate = new SessionClock(START, t0, 60, late);

        Renewal redelivered = under.renew(afterLate, lateRenew.meter(), late, PRICE, 1000 - 120);

        assertThat(lateRenew.charges()).as("played is capped at the 60 s granted before it")
                .containsExactly(new Charge(PRICE, 60, 60, 60));
        assertThat(redelivered.charges()).isEmpty();
        assertThat(redelivered.meter()).isEqualTo(lateRenew.meter());
        assertThat(under.stop(afterLate, lateRenew.meter(), late - 1000).charges()).isEmpty();
        assertThat(under.stop(afterLate, lateRenew.meter(), late + 1000).charges())
                .containsExactly(new Charge(PRICE, 60, 120, 60));
    }

    @Test
    void underBillStopChargesUpToTheStopButNeverPastTheDeadline() {
        long t0 = START + 3000;
        SessionClock clock = new SessionClock(START, t0, 60);
        Meter meter = Meter.NOTHING_GRANTED.grantUntil(60, PRICE);

        assertThat(under.stop(clock, meter, t0 + 12_500).charges()).containsExactly(new Charge(PRICE, 12, 12, 12));
        assertThat(under.stop(clock, meter, t0 + 600_000).charges()).containsExactly(new Charge(PRICE, 60, 60, 60));
    }

    @Test
    void overBillChargesThirtySecondsAtStartThenUpToNowPlusOneCycle() {
        Billed start = over.start(PRICE, 1000);
        long t0 = START + 4200;

        Renewal first = over.renew(new SessionClock(START, null, 60), start.meter(), t0, PRICE, 970);
        Renewal second = over.renew(new SessionClock(START, t0, 60), first.meter(), START + 35_200, PRICE, 935);

        assertThat(start.charges()).containsExactly(new Charge(PRICE, 30, 30, 30));
        assertThat(first.charges()).containsExactly(new Charge(PRICE, 35, 65, 35));
        assertThat(first.deadline()).as("charged until start + 65 s = t0 + 60.8 s, rounded down").isEqualTo(60);
        assertThat(second.charges()).containsExactly(new Charge(PRICE, 31, 96, 31));
        assertThat(second.deadline()).isEqualTo(91);
        assertThat(over.stop(new SessionClock(START, t0, 60), second.meter(), START + 50_000).charges()).isEmpty();
    }

    @Test
    void overBillRoundsUp() {
        assertThat(over.start(1, 10).charges()).containsExactly(new Charge(1, 30, 30, 1));
        assertThat(under.rounding().cost(1, 30)).isZero();
    }

    @Test
    void underBillIsLimitedWhenTheBalancePaysForLessThanACyclePastThePlayedTime() {
        long t0 = START + 3000;
        SessionClock clock = new SessionClock(START, t0, 60);
        Meter granted = Meter.NOTHING_GRANTED.grantUntil(60, PRICE);

        Renewal stillPlaying = under.renew(clock, granted, t0 + 40_000, PRICE, 0);
        Renewal usedUp = under.renew(clock, granted, t0 + 61_000, PRICE, 0);

        assertThat(stillPlaying.balanceLimited()).isTrue();
        assertThat(stillPlaying.deadline()).as("the deadline stops growing").isEqualTo(60);
        assertThat(stillPlaying.charges()).containsExactly(new Charge(PRICE, 40, 40, 40));
        assertThat(usedUp.balanceLimited()).isTrue();
        assertThat(usedUp.deadline()).isEqualTo(60);
        assertThat(usedUp.charges()).containsExactly(new Charge(PRICE, 60, 60, 60));
    }

    @Test
    void overBillIsLimitedWhenARenewWantsMoreAndTheBalancePaysForNone() {
        long t0 = START + 3000;
        Meter paid = Meter.NOTHING_GRANTED.grantUntil(60, PRICE).billUntil(60);

        Renewal renewal = over.renew(new SessionClock(START, t0, 60), paid, t0 + 40_000, PRICE, 0);

        assertThat(renewal.balanceLimited()).isTrue();
        assertThat(renewal.charges()).isEqualTo(List.of());
        assertThat(renewal.deadline()).as("what is paid stays playable").isEqualTo(57);
    }
}
