package io.playbill.query.finance;

import java.time.Instant;

/**
 * One price set for a queue.
 *
 * @param pricePerMinute minor units per minute (0 = free)
 * @param effectiveFrom  when it took effect: the gateway's receive time of the admin's request
 * @param setBy          the admin who set it
 */
public record PriceChange(String queue, long pricePerMinute, Instant effectiveFrom, String setBy) {
}
