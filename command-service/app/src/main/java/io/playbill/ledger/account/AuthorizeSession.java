package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** authToken: bind {@code session} to the user on {@code queue}. */
public record AuthorizeSession(@TargetAggregateIdentifier String userId, String session, String queue,
                               long receivedAtMillis) {
}
