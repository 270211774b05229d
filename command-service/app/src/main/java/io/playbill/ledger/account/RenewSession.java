package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** renewToken: the billing heartbeat; {@code lastDeadline} is what the client says it holds (0 at first). */
public record RenewSession(@TargetAggregateIdentifier String userId, String session, long lastDeadline,
                           long receivedAtMillis) {
}
