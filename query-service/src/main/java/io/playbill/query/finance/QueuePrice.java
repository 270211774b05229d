package io.playbill.query.finance;

import java.time.Instant;

/**
 * The price a queue's playtime is granted at now: its latest {@link PriceChange}.
 *
 * @param pricePerMinute minor units per minute (0 = free)
 */
public record QueuePrice(String queue, long pricePerMinute, Instant effectiveFrom) {
}
