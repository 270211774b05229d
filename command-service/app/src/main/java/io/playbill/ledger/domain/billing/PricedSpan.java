package io.playbill.ledger.domain.billing;

/**
 * The seconds {@code (fromSecond, untilSecond]} of a session's billing clock, granted at one price.
 *
 * @param pricePerMinute minor units per minute, the price in force when this playtime was granted
 */
public record PricedSpan(long fromSecond, long untilSecond, long pricePerMinute) {

    /** What this span costs from its first second up to {@code second} (clamped to the span). */
    long costUpTo(long second, Rounding rounding) {
        long seconds = Math.min(Math.max(second, fromSecond), untilSecond) - fromSecond;
        return rounding.cost(pricePerMinute, seconds);
    }
}
