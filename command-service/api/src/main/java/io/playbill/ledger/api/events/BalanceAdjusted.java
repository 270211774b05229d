package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;

/**
 * A manual correction of a balance.
 *
 * @param reference        the caller's idempotency key (unique across every account's deposits, refunds and adjustments)
 * @param amount           minor units, positive (credit) or negative (debit), never zero
 * @param reason           why, as the operator wrote it
 * @param balanceAfter     the balance once this adjustment is applied, never negative
 * @param receivedAtMillis the gateway's receive time of the request
 * @param actor            who adjusted ({@code null} in events stored before actors were recorded)
 */
@Revision("1")
public record BalanceAdjusted(String userId, String reference, Money amount, String reason, Money balanceAfter,
                              long receivedAtMillis, Actor actor) {
}
