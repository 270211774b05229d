package io.playbill.ledger.domain.billing;

/**
 * How a price per minute turns whole seconds of playtime into minor units. A cost is always computed for a whole
 * stretch at one price, from its first second ({@link PricedSpan}), and charges are differences of such costs:
 * rounding happens once per stretch and never accumulates over renews.
 */
public enum Rounding {
    /** Under-bill: a started minor unit is not charged. */
    DOWN,
    /** Over-bill: a started minor unit is charged in full. */
    UP;

    /** The cost of {@code seconds} of playtime at {@code pricePerMinute}, rounded this way. */
    public long cost(long pricePerMinute, long seconds) {
        long sixtieths = Math.multiplyExact(pricePerMinute, seconds);
        return this == DOWN ? Math.floorDiv(sixtieths, 60) : -Math.floorDiv(-sixtieths, 60);
    }

    /**
     * The most seconds whose {@link #cost} is at most {@code money}: the inverse of {@code cost}. On a free queue
     * any playtime is paid for: {@link Long#MAX_VALUE}.
     */
    public long secondsPaidBy(long pricePerMinute, long money) {
        if (money < 0) {
            throw new IllegalArgumentException("Money must not be negative: " + money);
        }
        if (pricePerMinute == 0) {
            return Long.MAX_VALUE;
        }
        // DOWN: floor(s·p/60) <= m  <=>  s·p <= 60·m + 59;   UP: ceil(s·p/60) <= m  <=>  s·p <= 60·m
        long sixtieths = Math.addExact(Math.multiplyExact(money, 60), this == DOWN ? 59 : 0);
        return sixtieths / pricePerMinute;
    }
}
