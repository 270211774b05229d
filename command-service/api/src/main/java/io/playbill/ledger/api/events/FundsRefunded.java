package io.playbill.ledger.api.events;

/**
 * Money was given back to the user out of their balance.
 *
 * @param reference        the caller's idempotency key (unique per account across deposits, refunds and adjustments)
 * @param amount           minor units, &gt; 0, taken from the balance
 * @param reason           why, as the operator wrote it
 * @param balanceAfter     the balance once this refund is applied, never negative
 * @param receivedAtMillis the gateway's receive time of the request
 */
public record FundsRefunded(String userId, String reference, long amount, String reason, long balanceAfter,
                            long receivedAtMillis) {
}
