package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Give {@code amount} minor units back to the user out of their balance, once per {@code reference}. */
public record RefundFunds(@TargetAggregateIdentifier String userId, long amount, String reference, String reason,
                          long receivedAtMillis) {
}
