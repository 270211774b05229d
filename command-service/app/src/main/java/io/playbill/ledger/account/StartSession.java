package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** startToken: the user's authorized session is about to start its game. */
public record StartSession(@TargetAggregateIdentifier String userId, String session, long receivedAtMillis) {
}
