package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The user ended the session at the request's receive time. */
public record StopSession(@TargetAggregateIdentifier String userId, String session, long receivedAtMillis) {
}
