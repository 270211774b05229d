package io.playbill.ledger.api.events;

/**
 * Money was added to a prepaid balance.
 *
 * @param reference        the caller's idempotency key (unique across every account's deposits, refunds and adjustments)
 * @param amount           minor units, &gt; 0
 * @param balanceAfter     the balance once this deposit is applied
 * @param receivedAtMillis the gateway's receive time of the request
 * @param actor            who deposited ({@code null} in events stored before actors were recorded)
 */
public record FundsDeposited(String userId, String reference, long amount, long balanceAfter,
                             long receivedAtMillis, Actor actor) {
}
