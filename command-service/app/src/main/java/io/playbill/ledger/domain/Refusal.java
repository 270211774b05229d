package io.playbill.ledger.domain;

import io.playbill.ledger.api.messages.LedgerError;

/**
 * Thrown by a rule that refuses a command, caught where the decision is made ({@link Decision#of}): rules read as
 * one check each, and no event is emitted after a refusal.
 */
final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final LedgerError error;

    Refusal(LedgerError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    LedgerError error() {
        return error;
    }
}
