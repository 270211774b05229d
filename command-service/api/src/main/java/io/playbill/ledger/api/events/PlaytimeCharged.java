package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

/**
 * Playtime was billed and its cost taken from the balance. Charges are cumulative per session and price: the
 * amount is cost(billed seconds at this price) minus what those seconds' earlier charges already took, so a
 * retried request is never charged twice and rounding never accumulates.
 *
 * @param receivedAtMillis the gateway's receive time of the request that caused the charge
 * @param pricePerMinute   the price these seconds were granted at (minor units per minute)
 * @param secondsCharged   the seconds billed by this charge, &gt; 0
 * @param billedSeconds    the session's billed seconds in total once this charge is applied
 * @param amount           minor units taken, &gt;= 0 (0 on a free queue or when rounding down leaves nothing)
 * @param balanceAfter     the balance once this charge is applied, never negative
 */
@Revision("1")
public record PlaytimeCharged(String userId, String session, String queue, long receivedAtMillis,
                              long pricePerMinute, Seconds secondsCharged, Seconds billedSeconds, Money amount,
                              Money balanceAfter) {
}
