package io.playbill.ledger.account;

import io.playbill.ledger.api.events.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Correct the balance by {@code amount} (positive or negative) minor units, once per {@code reference};
 * {@code actor} asked.
 */
public record AdjustBalance(@TargetAggregateIdentifier String userId, long amount, String reference, String reason,
                            long receivedAtMillis, Actor actor) {
}
