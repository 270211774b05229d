package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

/**
 * renewToken: the billing heartbeat was decided. Follows the {@link PlaytimeCharged} events it caused.
 *
 * @param receivedAtMillis   the gateway's receive time of the request
 * @param lastDeadline       the deadline the client said it held (recorded for audits, never trusted)
 * @param firstRenewAtMillis t0: the receive time of the session's first renew; the SDK's playtime and every
 *                           deadline count from here
 * @param pricePerMinute     the queue's price in force at the receive time; it prices newly granted playtime
 * @param billedSeconds      the session's billed seconds in total
 * @param grantedSeconds     how far the session may play on its billing clock (from t0 in under-bill, from the
 *                           start in over-bill); never decreases
 * @param deadline           the deadline answered: seconds from t0 the user may play to; never decreases
 * @param balanceAfter       the balance after the renew
 * @param expiresAtMillis    when the session ends without another renew: t0 + deadline + 30 s (the SDK's wait for a
 *                           renew), or t0 + deadline when {@code balanceLimited}
 * @param balanceLimited     the balance could not pay for the deadline a renew normally reaches: the deadline stops
 *                           growing here unless money arrives, and the session ends as balance_exhausted at
 *                           t0 + deadline, when its paid playtime is over
 */
@Revision("1")
public record SessionRenewed(String userId, String session, String queue, long receivedAtMillis,
                             Seconds lastDeadline, long firstRenewAtMillis, long pricePerMinute, Seconds billedSeconds,
                             Seconds grantedSeconds, Seconds deadline, Money balanceAfter, long expiresAtMillis,
                             boolean balanceLimited) {
}
