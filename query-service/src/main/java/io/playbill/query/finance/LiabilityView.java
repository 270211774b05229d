package io.playbill.query.finance;

import java.time.Instant;

/**
 * Prepaid liability: the sum of every account's balance at {@code asOf}, minor units.
 */
public record LiabilityView(Instant asOf, long liability) {
}
