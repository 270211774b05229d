package io.playbill.ledger.account;

/**
 * What an account command answers.
 *
 * @param balance  the balance after the command
 * @param deadline the deadline granted, for renews; {@code null} otherwise
 */
public record AccountAnswer(long balance, Long deadline) {

    static AccountAnswer withBalance(long balance) {
        return new AccountAnswer(balance, null);
    }
}
