package io.playbill.query.audit.rules;

/**
 * The billing arithmetic of docs/spec/token-spec.md §5, written here from the spec and not taken from the
 * ledger, so that the audit checks the ledger rather than repeats it: a price is minor units per minute, a cost is
 * for whole seconds, under-bill rounds down, over-bill rounds up, and charges are cumulative (the cost of all
 * seconds billed at a price minus the cost of those billed before).
 */
final class BillingArithmetic {

    private BillingArithmetic() {
    }

    /** The cost of {@code seconds} at {@code pricePerMinute}, rounded up (over-bill) or down (under-bill). */
    static long cost(long pricePerMinute, long seconds, boolean roundUp) {
        long sixtieths = Math.multiplyExact(pricePerMinute, seconds);
        return roundUp ? -Math.floorDiv(-sixtieths, 60) : Math.floorDiv(sixtieths, 60);
    }

    /** Whole seconds from {@code fromMillis} to {@code toMillis}, rounded down. */
    static long secondsDown(long fromMillis, long toMillis) {
        return Math.floorDiv(toMillis - fromMillis, 1000);
    }

    /** Whole seconds from {@code fromMillis} to {@code toMillis}, rounded up. */
    static long secondsUp(long fromMillis, long toMillis) {
        return -Math.floorDiv(fromMillis - toMillis, 1000);
    }

    static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(value, max));
    }
}
