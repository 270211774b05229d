package io.playbill.ledger.account;

import io.playbill.ledger.api.messages.LedgerError;

/**
 * A request the ledger decided to refuse. Thrown by the account before any event is applied, so a refusal
 * changes nothing; the intake turns it into a refused {@link io.playbill.ledger.api.messages.LedgerReply}.
 */
public class LedgerRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final LedgerError error;

    public LedgerRefusal(LedgerError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public LedgerError error() {
        return error;
    }
}
