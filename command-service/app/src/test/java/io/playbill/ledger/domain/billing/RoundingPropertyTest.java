package io.playbill.ledger.domain.billing;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

class RoundingPropertyTest {

    @Property
    void secondsPaidByIsTheInverseOfCost(@ForAll Rounding rounding, @ForAll @LongRange(min = 1, max = 1_000_000_000) long price,
                                         @ForAll @LongRange(max = 1_000_000_000_000L) long money) {
        long seconds = rounding.secondsPaidBy(price, money);

        assertThat(rounding.cost(price, seconds)).isLessThanOrEqualTo(money);
        assertThat(rounding.cost(price, seconds + 1)).isGreaterThan(money);
    }

    @Property
    void downAndUpBracketTheExactCostWithinOneMinorUnit(@ForAll @LongRange(max = 1_000_000_000) long price,
                                                        @ForAll @LongRange(max = 10_000_000) long seconds) {
        long down = Rounding.DOWN.cost(price, seconds);
        long up = Rounding.UP.cost(price, seconds);

        assertThat(down * 60).isLessThanOrEqualTo(price * seconds);
        assertThat(up * 60).isGreaterThanOrEqualTo(price * seconds);
        assertThat(up - down).isBetween(0L, 1L);
    }

    @Property
    void aFreeQueueIsPaidForByNothing(@ForAll Rounding rounding) {
        assertThat(rounding.secondsPaidBy(0, 0)).isEqualTo(Long.MAX_VALUE);
    }
}
