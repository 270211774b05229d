package io.playbill.ledger.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import static io.playbill.ledger.account.AccountEvents.T;
import static io.playbill.ledger.account.AccountEvents.USER;
import static io.playbill.ledger.account.AccountEvents.deposited;
import static io.playbill.ledger.account.AccountEvents.opened;
import static io.playbill.ledger.account.AccountEvents.rules;
import static io.playbill.ledger.account.Refusals.refused;

/** Deposits, refunds and adjustments: idempotent per reference, never below zero. */
class UserAccountMoneyTest {

    private final AggregateTestFixture<UserAccount> fixture = new AggregateTestFixture<>(UserAccount.class);

    {
        fixture.registerInjectableResource(new InMemoryPriceBook());
        fixture.registerInjectableResource(rules(BillingSetting.UNDER));
    }

    @Test
    void theFirstDepositOpensTheAccount() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 1000, "pay-1", T))
                .expectEvents(new AccountOpened(USER, T), new FundsDeposited(USER, "pay-1", 1000, 1000, T))
                .expectResultMessagePayload(AccountAnswer.withBalance(1000));
    }

    @Test
    void theSameDepositTwiceIsAppliedOnceAndAnsweredTheSame() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000), deposited(500, "pay-2", 1500))
                .when(new DepositFunds(USER, 1000, "pay-1", T + 1000))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(1000));
    }

    @Test
    void aReferenceReusedWithOtherContentIsAConflict() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new DepositFunds(USER, 999, "pay-1", T))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void referencesAreSharedByDepositsRefundsAndAdjustments() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 1000, "pay-1", "mistake", T))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aDepositMustBePositive() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 0, "pay-1", T))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aDepositNeedsAReference() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 10, " ", T))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aBalanceHasAnUpperBound() {
        fixture.given(opened(), deposited(UserAccount.MAX_BALANCE, "pay-1", UserAccount.MAX_BALANCE))
                .when(new DepositFunds(USER, 1, "pay-2", T))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundTakesMoneyBackWithItsReason() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 400, "refund-1", "game crashed", T))
                .expectEvents(new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T))
                .expectResultMessagePayload(AccountAnswer.withBalance(600));
    }

    @Test
    void theSameRefundTwiceIsAppliedOnce() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T))
                .when(new RefundFunds(USER, 400, "refund-1", "game crashed", T + 5000))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(600));
    }

    @Test
    void aRefundWithAnotherReasonUnderTheSameReferenceIsAConflict() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T))
                .when(new RefundFunds(USER, 400, "refund-1", "goodwill", T + 5000))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aRefundNeverMakesTheBalanceNegative() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 1001, "refund-1", "too much", T))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void aRefundNeedsAReason() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 10, "refund-1", null, T))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundToAnUnknownUserOpensNothing() {
        fixture.givenNoPriorActivity()
                .when(new RefundFunds(USER, 10, "refund-1", "why not", T))
                .expectNoEvents()
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentCreditsOrDebits() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, -300, "adj-1", "double payment", T))
                .expectEvents(new BalanceAdjusted(USER, "adj-1", -300, "double payment", 700, T));
        fixture.givenNoPriorActivity()
                .when(new AdjustBalance(USER, 300, "adj-1", "compensation", T))
                .expectEvents(new AccountOpened(USER, T), new BalanceAdjusted(USER, "adj-1", 300, "compensation", 300, T))
                .expectResultMessagePayload(AccountAnswer.withBalance(300));
    }

    @Test
    void anAdjustmentNeverMakesTheBalanceNegative() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, -1001, "adj-1", "too much", T))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentIsNeverZero() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, 0, "adj-1", "nothing", T))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void theSameAdjustmentTwiceIsAppliedOnce() {
        fixture.given(opened(), deposited(1000, "pay-1", 1000),
                        new BalanceAdjusted(USER, "adj-1", -300, "double payment", 700, T))
                .when(new AdjustBalance(USER, -300, "adj-1", "double payment", T + 1))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(700));
    }
}
