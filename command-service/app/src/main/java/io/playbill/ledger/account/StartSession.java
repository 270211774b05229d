package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * startToken: the user's authorized session is about to start its game. {@code queue}, when not {@code null}, is the
 * queue the client expects; it must be the one the session was authorized on.
 */
public record StartSession(@TargetAggregateIdentifier String userId, String session, String queue,
                           long receivedAtMillis) {
}
