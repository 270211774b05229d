package io.playbill.ledger.domain.billing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the schedule of grants and bills, rounding never accumulates and nothing is billed twice. */
class MeterPropertyTest {

    /** Grant up to a second at a price, then bill up to a second (clamped to the grant). */
    record Step(long grantUntil, long price, long billUntil) {
    }

    @Property
    void chargesAddUpToOneRoundedCostPerPriceStretch(@ForAll Rounding rounding, @ForAll("schedules") List<Step> steps) {
        Meter meter = Meter.NOTHING_GRANTED;
        long charged = 0;
        long[] secondsAtPrice = new long[601];
        long[] chargedAtPrice = new long[601];
        for (Step step : steps) {
            meter = meter.grantUntil(Math.max(meter.grantedSeconds(), step.grantUntil()), step.price());
            long to = Math.min(Math.max(step.billUntil(), meter.billedSeconds()), meter.grantedSeconds());
            for (Charge charge : meter.chargesUpTo(to, rounding)) {
                assertThat(charge.seconds()).isPositive();
                assertThat(charge.amount()).isNotNegative();
                charged += charge.amount();
                secondsAtPrice[(int) charge.pricePerMinute()] += charge.seconds();
                chargedAtPrice[(int) charge.pricePerMinute()] += charge.amount();
            }
            meter = meter.billUntil(to);
        }
        assertThat(meter.billedSeconds()).isLessThanOrEqualTo(meter.grantedSeconds());
        long secondsCharged = 0;
        for (long seconds : secondsAtPrice) {
            secondsCharged += seconds;
        }
        assertThat(secondsCharged).as("every billed second is charged exactly once").isEqualTo(meter.billedSeconds());
        if (steps.stream().allMatch(step -> step.price() == steps.get(0).price())) {
            assertThat(charged).as("one price: the session costs one rounded amount")
                    .isEqualTo(rounding.cost(steps.get(0).price(), meter.billedSeconds()));
        }
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

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.longs().between(0, 5_000), prices(),
                Arbitraries.longs().between(0, 5_000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(30);
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
