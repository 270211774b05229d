package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by the expiry scanner: end the session as timed out if it is still active and due at
 * {@code checkedAtMillis} (the ledger's clock; the event records the session's own expiry time instead).
 */
public record ExpireSession(@TargetAggregateIdentifier String userId, String session, long checkedAtMillis) {
}
