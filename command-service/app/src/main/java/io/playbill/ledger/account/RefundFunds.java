package io.playbill.ledger.account;

import io.playbill.ledger.api.events.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Give {@code amount} minor units back to the user out of their balance, once per {@code reference}; {@code actor}
 * asked.
 */
public record RefundFunds(@TargetAggregateIdentifier String userId, long amount, String reference, String reason,
                          long receivedAtMillis, Actor actor) {
}
