package io.playbill.ledger.domain;

/**
 * A money movement's idempotency key, chosen by the caller: one reference names one movement across every account
 * ({@link LedgerRegistry}). Text of 1-255 characters without control characters.
 */
public record Reference(String value) {

    public Reference {
        Text.required(value, "reference");
    }

    @Override
    public String toString() {
        return value;
    }
}
