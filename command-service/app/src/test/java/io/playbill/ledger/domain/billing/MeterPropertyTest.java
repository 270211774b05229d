package io.playbill.ledger.domain.billing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the schedule of grants and bills, rounding never accumulates and nothing is billed twice. */
class MeterPropertyTest {

    /** Grant up to a second at a price, then bill up to a second (clamped to the grant). */
    record Step(long grantUntil, long price, long billUntil) {
    }

    /** Seconds {@code (from, until]} granted at one price by grants in a row, and what billing charged of them. */
    static final class Stretch {
        final long from;
        final long price;
        long until;
        long secondsCharged;
        long amountCharged;
        int bills;

        Stretch(long from, long until, long price) {
            this.from = from;
            this.until = until;
            this.price = price;
        }
    }

    /**
     * A stretch starts when a grant extends the meter at a price other than the last grant's, and grants at the
     * same price continue it. However many bills charge a stretch, and whatever other stretches they charge too,
     * what they take for it adds up to the rounding's cost of its billed seconds at its price, computed once:
     * rounding never accumulates across bills.
     */
    @Property
    void chargesAddUpToOneRoundedCostPerPriceStretch(@ForAll Rounding rounding, @ForAll("schedules") List<Step> steps) {
        Meter meter = Meter.NOTHING_GRANTED;
        List<Stretch> stretches = new ArrayList<>();
        for (Step step : steps) {
            long grantUntil = Math.max(meter.grantedSeconds(), step.grantUntil());
            if (grantUntil > meter.grantedSeconds()) {
                Stretch last = stretches.isEmpty() ? null : stretches.get(stretches.size() - 1);
                if (last != null && last.price == step.price()) {
                    last.until = grantUntil;
                } else {
                    stretches.add(new Stretch(meter.grantedSeconds(), grantUntil, step.price()));
                }
            }
            meter = meter.grantUntil(grantUntil, step.price());
            long to = Math.min(Math.max(step.billUntil(), meter.billedSeconds()), meter.grantedSeconds());
            long chargedUpTo = meter.billedSeconds();
            for (Charge charge : meter.chargesUpTo(to, rounding)) {
                assertThat(charge.seconds()).isPositive();
                assertThat(charge.amount()).isNotNegative();
                long chargeFrom = charge.billedSeconds() - charge.seconds();
                assertThat(chargeFrom).as("charges follow each other without gap or overlap").isEqualTo(chargedUpTo);
                chargedUpTo = charge.billedSeconds();
                Stretch stretch = stretches.stream()
                        .filter(s -> s.from <= chargeFrom && charge.billedSeconds() <= s.until)
                        .findFirst().orElse(null);
                assertThat(stretch).as("charge %s lies within one stretch", charge).isNotNull();
                assertThat(charge.pricePerMinute()).as("a charge bills at its stretch's price").isEqualTo(stretch.price);
                stretch.secondsCharged += charge.seconds();
                stretch.amountCharged += charge.amount();
                stretch.bills++;
            }
            assertThat(chargedUpTo).as("a bill charges every second up to where it bills").isEqualTo(to);
            meter = meter.billUntil(to);
        }
        assertThat(meter.billedSeconds()).isLessThanOrEqualTo(meter.grantedSeconds());
        int mostBills = 0;
        for (Stretch stretch : stretches) {
            long billedInStretch = Math.max(0, Math.min(meter.billedSeconds(), stretch.until) - stretch.from);
            assertThat(stretch.secondsCharged).as("every billed second of the stretch is charged exactly once")
                    .isEqualTo(billedInStretch);
            assertThat(stretch.amountCharged)
                    .as("%d bills of a stretch at %d/min charge one rounded cost of its %d s", stretch.bills,
                            stretch.price, stretch.secondsCharged)
                    .isEqualTo(rounding.cost(stretch.price, stretch.secondsCharged));
            mostBills = Math.max(mostBills, stretch.bills);
        }
        Statistics.label("bills per stretch")
                .collect(mostBills >= 2 ? "several bills" : mostBills == 1 ? "one bill" : "nothing billed")
                .coverage(c -> c.check("several bills").percentage(p -> p >= 30));
        Statistics.label("stretches")
                .collect(stretches.size() < 2 ? "one or none" : mostBills >= 2 ? "several, one billed several times"
                        : "several, each billed at most once")
                .coverage(c -> c.check("several, one billed several times").percentage(p -> p >= 15));
    }

    @Property
    void whatIsGrantedButUnbilledIsExactlyWhatBillingItWillCharge(@ForAll Rounding rounding,
                                                                   @ForAll("schedules") List<Step> steps) {
        Meter meter = Meter.NOTHING_GRANTED;
        for (Step step : steps) {
            meter = meter.grantUntil(step.grantUntil(), step.price());
            long reserved = meter.unbilledCost(rounding);
            long to = Math.min(Math.max(step.billUntil(), meter.billedSeconds()), meter.grantedSeconds());
            long charged = meter.chargesUpTo(to, rounding).stream().mapToLong(Charge::amount).sum();
            meter = meter.billUntil(to);

            assertThat(charged + meter.unbilledCost(rounding)).isEqualTo(reserved);
        }
    }

    @Property
    void aGrantReachesExactlyWhatTheMoneyPaysFor(@ForAll Rounding rounding, @ForAll("schedules") List<Step> steps,
                                                 @ForAll("prices") long price, @ForAll("money") long money) {
        Meter meter = Meter.NOTHING_GRANTED;
        for (Step step : steps) {
            meter = meter.grantUntil(step.grantUntil(), step.price()).billUntil(
                    Math.min(step.billUntil(), step.grantUntil()));
        }
        long reach = meter.reachablePaidBy(price, money, rounding);
        if (price == 0) {
            assertThat(reach).isEqualTo(Long.MAX_VALUE);
            return;
        }
        long before = meter.unbilledCost(rounding);
        assertThat(meter.grantUntil(reach, price).unbilledCost(rounding) - before).isLessThanOrEqualTo(money);
        assertThat(meter.grantUntil(reach + 1, price).unbilledCost(rounding) - before).isGreaterThan(money);
    }

    /** Schedules draw their prices from a few, so grants in a row often repeat a price and continue a stretch. */
    @Provide
    Arbitrary<List<Step>> schedules() {
        return prices().list().ofMinSize(1).ofMaxSize(3).flatMap(pricesOfSchedule -> {
            Arbitrary<Step> step = Combinators.combine(Arbitraries.longs().between(0, 5_000),
                    Arbitraries.of(pricesOfSchedule), Arbitraries.longs().between(0, 5_000)).as(Step::new);
            return step.list().ofMinSize(1).ofMaxSize(30);
        });
    }

    @Provide
    Arbitrary<Long> prices() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, 59L, 60L, 61L), Arbitraries.longs().between(0, 600));
    }

    @Provide
    Arbitrary<Long> money() {
        return Arbitraries.longs().between(0, 100_000);
    }
}
