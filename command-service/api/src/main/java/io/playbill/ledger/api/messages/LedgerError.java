package io.playbill.ledger.api.messages;

/** Why the ledger refused a request. The gateway maps each to an HTTP status (in brackets). */
public enum LedgerError {
    /** The request is malformed in a way the gateway should have caught [400]. */
    INVALID_REQUEST,
    /** The queue has no price: the ledger cannot bill it [400]. */
    UNKNOWN_QUEUE,
    /** The session is not bound to this user, or already ended [403]. */
    SESSION_NOT_FOUND,
    /** The balance cannot pay for one billing cycle [402]. */
    INSUFFICIENT_BALANCE,
    /** The user already has the maximum number of active sessions [409]. */
    TOO_MANY_SESSIONS,
    /** The same idempotency reference was used before with different content [409]. */
    REFERENCE_CONFLICT,
    /** A refund or adjustment would make the balance negative [409]. */
    BALANCE_WOULD_BE_NEGATIVE,
    /** The session id is bound to another user: one session id belongs to one user, for good [409]. */
    SESSION_OF_ANOTHER_USER,
    /** The request names another queue than the one the session was authorized on [409]. */
    QUEUE_MISMATCH,
    /** Nobody moves money on their own account, whatever their roles [403]. */
    OWN_ACCOUNT,
    /** An operator named a parked item that is not (or no longer) parked [404]. */
    PARKED_ITEM_NOT_FOUND,
    /** An operator's retry of a parked item failed again; it stays parked with the new error [409]. */
    STILL_FAILING,
    /** A price change received before the queue's latest one, or with it for another price: that one holds [409]. */
    PRICE_SUPERSEDED,
}
