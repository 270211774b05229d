package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Seconds;

/**
 * startToken: the game is about to start. The billing mode and cycle are fixed here for the session's lifetime.
 *
 * @param billingMode      how this session is billed
 * @param cycleSeconds     the billing cycle C
 * @param pricePerMinute   the queue's price in force at the receive time; it prices {@code grantedSeconds}
 * @param grantedSeconds   playtime granted up front on the session's billing clock: 30 s (the SDK's free time)
 *                         in over-bill, paid by the {@link PlaytimeCharged} that follows; 0 in under-bill
 * @param receivedAtMillis the gateway's receive time of the request; over-bill bills from here
 * @param expiresAtMillis  when the session times out if no renew arrives (the SDK's free 30 s plus 30 s)
 */
@Revision("1")
public record SessionStarted(String userId, String session, String queue, BillingMode billingMode,
                             Seconds cycleSeconds, long pricePerMinute, Seconds grantedSeconds, long receivedAtMillis,
                             long expiresAtMillis) {
}
