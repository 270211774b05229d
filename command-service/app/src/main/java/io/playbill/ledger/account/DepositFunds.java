package io.playbill.ledger.account;

import io.playbill.ledger.api.events.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Credit {@code amount} minor units to the user's balance, once per {@code reference}; {@code actor} asked. */
public record DepositFunds(@TargetAggregateIdentifier String userId, long amount, String reference,
                           long receivedAtMillis, Actor actor) {
}
