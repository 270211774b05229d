package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;

/**
 * Money was added to a prepaid balance.
 *
 * @param reference        the caller's idempotency key (unique across every account's deposits, refunds and adjustments)
 * @param amount           minor units, &gt; 0
 * @param balanceAfter     the balance once this deposit is applied
 * @param receivedAtMillis the gateway's receive time of the request
 * @param actor            who deposited ({@code null} in events stored before actors were recorded)
 */
@Revision("1")
public record FundsDeposited(String userId, String reference, Money amount, Money balanceAfter,
                             long receivedAtMillis, Actor actor) {
}
