package io.playbill.ledger.domain.billing;

/**
 * Playtime billed at one price.
 *
 * @param pricePerMinute the price the seconds were granted at
 * @param seconds        the seconds billed by this charge, &gt; 0
 * @param billedSeconds  the session's billed seconds in total once this charge is applied
 * @param amount         minor units to take from the balance, &gt;= 0
 */
public record Charge(long pricePerMinute, long seconds, long billedSeconds, long amount) {
}
