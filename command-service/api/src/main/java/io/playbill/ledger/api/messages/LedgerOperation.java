package io.playbill.ledger.api.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a {@link LedgerRequest} asks the ledger to do. The JSON carries the kind in the {@code op} property.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LedgerOperation.Deposit.class, name = "deposit"),
})
public sealed interface LedgerOperation {

    /** Credit a prepaid balance. {@code reference} is the caller's idempotency key. */
    record Deposit(long amount, String reference) implements LedgerOperation {
    }
}
