package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;

/**
 * Money was given back to the user out of their balance.
 *
 * @param reference        the caller's idempotency key (unique across every account's deposits, refunds and adjustments)
 * @param amount           minor units, &gt; 0, taken from the balance
 * @param reason           why, as the operator wrote it
 * @param balanceAfter     the balance once this refund is applied, never negative
 * @param receivedAtMillis the gateway's receive time of the request
 * @param actor            who refunded ({@code null} in events stored before actors were recorded)
 */
@Revision("1")
public record FundsRefunded(String userId, String reference, Money amount, String reason, Money balanceAfter,
                            long receivedAtMillis, Actor actor) {
}
