package io.playbill.ledger.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Correct the balance by {@code amount} (positive or negative) minor units, once per {@code reference}. */
public record AdjustBalance(@TargetAggregateIdentifier String userId, long amount, String reference, String reason,
                            long receivedAtMillis) {
}
