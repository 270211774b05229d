package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Credit {@code amount} minor units to the user's balance, once per {@code reference}. */
public record DepositFunds(@TargetAggregateIdentifier String userId, long amount, String reference,
                           long receivedAtMillis) {
}
