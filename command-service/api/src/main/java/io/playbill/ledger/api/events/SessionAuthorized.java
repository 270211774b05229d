package io.playbill.ledger.api.events;

/**
 * authToken: the session is bound to the user, on a queue. Only this user may start, renew or stop it.
 *
 * @param pricePerMinute   the queue's price in force at the receive time (minor units per minute), informative:
 *                         charges use the price in force when the playtime is granted
 * @param receivedAtMillis the gateway's receive time of the request
 * @param expiresAtMillis  when the session times out if it is not started
 */
@Revision("1")
public record SessionAuthorized(String userId, String session, String queue, long pricePerMinute,
                                long receivedAtMillis, long expiresAtMillis) {
}
