package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** May a cloud game start for the user's {@code session} now? A question: the account stores nothing. */
public record AdmitCloudGame(@TargetAggregateIdentifier String userId, String session, long receivedAtMillis) {
}
