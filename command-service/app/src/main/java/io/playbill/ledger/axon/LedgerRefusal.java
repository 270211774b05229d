package io.playbill.ledger.axon;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.domain.Decision;

/**
 * A refused command, as it leaves an aggregate's command handler: thrown, so that Axon rolls the command's unit of
 * work back (an account a refused first command would have created is never cached or stored). The sender turns it
 * back into a refused {@link io.playbill.ledger.api.messages.LedgerReply} ({@link LedgerCommands}).
 */
public class LedgerRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final LedgerError error;

    public LedgerRefusal(Decision.Refused refused) {
        super(refused.message(), null, false, false);
        this.error = refused.error();
    }

    public LedgerError error() {
        return error;
    }
}
