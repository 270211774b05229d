package io.playbill.query.finance;

import java.time.Instant;

/**
 * Usage of one queue in one hour or day (UTC).
 *
 * @param period          the start of the hour or day
 * @param revenue         Σ charged amounts, minor units
 * @param playtimeSeconds Σ billed seconds
 * @param sessions        sessions started
 */
public record RevenueRow(Instant period, String queue, long revenue, long playtimeSeconds, long sessions) {
}
