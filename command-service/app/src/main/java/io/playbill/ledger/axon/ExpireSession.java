package io.playbill.ledger.axon;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The ledger's own command, sent by the expiry scanner (never by the gateway, so it is no {@code LedgerOperation}):
 * end the session if it is still active and due at {@code checkedAtMillis}, as {@code balance_exhausted} when its
 * paid playtime is over (decision 011) and as {@code timed_out} otherwise. The event records the session's own
 * expiry time, not {@code checkedAtMillis}.
 */
public record ExpireSession(@TargetAggregateIdentifier String userId, String session, long checkedAtMillis) {
}
