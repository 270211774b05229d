package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.values.Money;

/**
 * The prepaid balance of an account and its two limits: it never exceeds {@link #MAX_BALANCE}, and what is taken out
 * (a refund, a debit) never touches the money that granted playtime still needs.
 */
public record Wallet(Money balance) {

    /** No balance may exceed this (10^15 minor units), which keeps all cost arithmetic far from overflowing. */
    public static final Money MAX_BALANCE = Money.of(1_000_000_000_000_000L);

    static final Wallet EMPTY = new Wallet(Money.ZERO);

    /** The balance an event leaves: every event that moves money records it. */
    Wallet evolve(Object event) {
        if (event instanceof FundsDeposited deposited) {
            return new Wallet(deposited.balanceAfter());
        }
        if (event instanceof FundsRefunded refunded) {
            return new Wallet(refunded.balanceAfter());
        }
        if (event instanceof BalanceAdjusted adjusted) {
            return new Wallet(adjusted.balanceAfter());
        }
        if (event instanceof PlaytimeCharged charged) {
            return new Wallet(charged.balanceAfter());
        }
        return this;
    }

    /** What new playtime may be paid with: the balance minus what granted but unbilled playtime will cost. */
    Money forNewPlaytime(Money reserved) {
        return balance.minus(reserved);
    }

    /** Policy: a credit keeps the balance within {@link #MAX_BALANCE}. */
    void mayCredit(Money amount) {
        if (amount.isMoreThan(MAX_BALANCE.minus(balance))) {
            throw new Refusal(LedgerError.INVALID_REQUEST, "A balance may not exceed " + MAX_BALANCE);
        }
    }

    /** Policy: taking {@code amount} leaves at least what granted playtime ({@code reserved}) will still cost. */
    void mayTake(Money amount, Money reserved) {
        if (balance.minus(amount).compareTo(reserved) < 0) {
            throw new Refusal(LedgerError.BALANCE_WOULD_BE_NEGATIVE, reserved.isZero()
                    ? "The balance is " + balance
                    : "The balance is " + balance + ", of which " + reserved + " pays for playtime already granted");
        }
    }
}
