package io.playbill.ledger.domain;

import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

/**
 * What an accepted command answers: the content of the accepted {@code LedgerReply}.
 *
 * @param balance  the balance after the command; {@code null} for a price change
 * @param deadline the deadline granted, for renews; {@code null} otherwise
 * @param queue    the session's queue, for session commands; {@code null} otherwise
 */
public record Answer(Money balance, Seconds deadline, String queue) {

    /** A price change answers nothing but that it was accepted. */
    public static final Answer NOTHING = new Answer(null, null, null);

    public static Answer withBalance(Money balance) {
        return new Answer(balance, null, null);
    }

    static Answer forSession(Money balance, Session session) {
        return new Answer(balance, null, session.queue());
    }

    static Answer forRenew(Money balance, Seconds deadline, Session session) {
        return new Answer(balance, deadline, session.queue());
    }
}
