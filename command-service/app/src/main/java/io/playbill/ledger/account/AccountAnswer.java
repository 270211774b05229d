package io.playbill.ledger.account;

/**
 * What an account command answers.
 *
 * @param balance  the balance after the command
 * @param deadline the deadline granted, for renews; {@code null} otherwise
 * @param queue    the session's queue, for session commands; {@code null} for money commands
 */
public record AccountAnswer(long balance, Long deadline, String queue) {

    static AccountAnswer withBalance(long balance) {
        return new AccountAnswer(balance, null, null);
    }

    static AccountAnswer forSession(long balance, Session session) {
        return new AccountAnswer(balance, null, session.queue());
    }

    static AccountAnswer forRenew(long balance, long deadline, Session session) {
        return new AccountAnswer(balance, deadline, session.queue());
    }
}
