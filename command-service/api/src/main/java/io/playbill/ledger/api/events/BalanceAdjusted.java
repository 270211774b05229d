package io.playbill.ledger.api.events;

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
public record BalanceAdjusted(String userId, String reference, long amount, String reason, long balanceAfter,
                              long receivedAtMillis, Actor actor) {
}
