package io.playbill.ledger.api.events;

/**
 * Money was added to a prepaid balance.
 *
 * @param reference        the caller's idempotency key (unique per account across deposits, refunds and adjustments)
 * @param amount           minor units, &gt; 0
 * @param balanceAfter     the balance once this deposit is applied
 * @param receivedAtMillis the gateway's receive time of the request
 */
public record FundsDeposited(String userId, String reference, long amount, long balanceAfter,
                             long receivedAtMillis) {
}
