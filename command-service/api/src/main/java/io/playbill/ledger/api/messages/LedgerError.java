package io.playbill.ledger.api.messages;

/** Why the ledger refused a request. The gateway maps each to an HTTP status. */
public enum LedgerError {
    /** The request is malformed in a way the gateway should have caught (400). */
    INVALID_REQUEST,
    /** The same idempotency reference was used before with a different content (409). */
    REFERENCE_CONFLICT,
    /** The operation would make a balance negative (409). */
    INSUFFICIENT_BALANCE,
}
