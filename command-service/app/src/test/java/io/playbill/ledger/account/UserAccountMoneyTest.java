package io.playbill.ledger.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.playbill.ledger.account.AccountEvents.FINANCE;
import static io.playbill.ledger.account.AccountEvents.T;
import static io.playbill.ledger.account.AccountEvents.USER;
import static io.playbill.ledger.account.AccountEvents.deposited;
import static io.playbill.ledger.account.AccountEvents.opened;
import static io.playbill.ledger.account.AccountEvents.rules;
import static io.playbill.ledger.account.Refusals.refused;

/** Deposits, refunds and adjustments: idempotent per reference, never below zero. */
class UserAccountMoneyTest {

    private final AggregateTestFixture<UserAccount> fixture = new AggregateTestFixture<>(UserAccount.class);
    /** References recorded in any account: the given events' and other accounts'. */
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();

    {
        fixture.registerInjectableResource(new InMemoryPriceBook());
        fixture.registerInjectableResource(rules(BillingSetting.UNDER));
        fixture.registerInjectableResource(registry);
    }

    /** The account's history, also recorded in the registry as the ledger's projection would have. */
    private TestExecutor<UserAccount> given(Object... events) {
        registry.record(events);
        return fixture.given(events);
    }

    @Test
    void theFirstDepositOpensTheAccount() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 1000, "pay-1", T, FINANCE))
                .expectEvents(new AccountOpened(USER, T), new FundsDeposited(USER, "pay-1", 1000, 1000, T, FINANCE))
                .expectResultMessagePayload(AccountAnswer.withBalance(1000));
    }

    @Test
    void theSameDepositTwiceIsAppliedOnceAndAnsweredTheSame() {
        given(opened(), deposited(1000, "pay-1", 1000), deposited(500, "pay-2", 1500))
                .when(new DepositFunds(USER, 1000, "pay-1", T + 1000, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(1000));
    }

    @Test
    void aReferenceReusedWithOtherContentIsAConflict() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new DepositFunds(USER, 999, "pay-1", T, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void referencesAreSharedByDepositsRefundsAndAdjustments() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 1000, "pay-1", "mistake", T, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aDepositMustBePositive() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 0, "pay-1", T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aDepositNeedsAReference() {
        fixture.givenNoPriorActivity()
                .when(new DepositFunds(USER, 10, " ", T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aBalanceHasAnUpperBound() {
        given(opened(), deposited(UserAccount.MAX_BALANCE, "pay-1", UserAccount.MAX_BALANCE))
                .when(new DepositFunds(USER, 1, "pay-2", T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundTakesMoneyBackWithItsReason() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 400, "refund-1", "game crashed", T, FINANCE))
                .expectEvents(new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T, FINANCE))
                .expectResultMessagePayload(AccountAnswer.withBalance(600));
    }

    @Test
    void theSameRefundTwiceIsAppliedOnce() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T, FINANCE))
                .when(new RefundFunds(USER, 400, "refund-1", "game crashed", T + 5000, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(600));
    }

    @Test
    void aRefundWithAnotherReasonUnderTheSameReferenceIsAConflict() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", 400, "game crashed", 600, T, FINANCE))
                .when(new RefundFunds(USER, 400, "refund-1", "goodwill", T + 5000, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aRefundNeverMakesTheBalanceNegative() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 1001, "refund-1", "too much", T, FINANCE))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void aRefundNeedsAReason() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 10, "refund-1", null, T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundToAnUnknownUserOpensNothing() {
        fixture.givenNoPriorActivity()
                .when(new RefundFunds(USER, 10, "refund-1", "why not", T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentCreditsOrDebits() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, -300, "adj-1", "double payment", T, FINANCE))
                .expectEvents(new BalanceAdjusted(USER, "adj-1", -300, "double payment", 700, T, FINANCE));
        fixture.givenNoPriorActivity()
                .when(new AdjustBalance(USER, 300, "adj-1", "compensation", T, FINANCE))
                .expectEvents(new AccountOpened(USER, T), new BalanceAdjusted(USER, "adj-1", 300, "compensation", 300, T, FINANCE))
                .expectResultMessagePayload(AccountAnswer.withBalance(300));
    }

    @Test
    void anAdjustmentNeverMakesTheBalanceNegative() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, -1001, "adj-1", "too much", T, FINANCE))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentIsNeverZero() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, 0, "adj-1", "nothing", T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void theSameAdjustmentTwiceIsAppliedOnce() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new BalanceAdjusted(USER, "adj-1", -300, "double payment", 700, T, FINANCE))
                .when(new AdjustBalance(USER, -300, "adj-1", "double payment", T + 1, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(AccountAnswer.withBalance(700));
    }

    @Test
    void aDepositRecordsWhoMadeIt() {
        given(opened())
                .when(new DepositFunds(USER, 1000, "pay-1", T, FINANCE))
                .expectEvents(new FundsDeposited(USER, "pay-1", 1000, 1000, T, FINANCE));
    }

    @Test
    void nobodyMovesMoneyOnTheirOwnAccount() {
        Actor self = new Actor(USER, List.of("finance", "admin"));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new DepositFunds(USER, 1000, "pay-2", T, self))
                .expectNoEvents()
                .expectException(refused(LedgerError.OWN_ACCOUNT));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 10, "refund-1", "mine", T, self))
                .expectException(refused(LedgerError.OWN_ACCOUNT));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, 10, "adj-1", "mine", T, self))
                .expectException(refused(LedgerError.OWN_ACCOUNT));
    }

    @Test
    void moneyMovesOnlyAtSomeonesRequest() {
        given(opened())
                .when(new DepositFunds(USER, 1000, "pay-1", T, null))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aReferenceAnotherAccountUsedIsAConflictEvenWithTheSameContent() {
        registry.record(new FundsDeposited("bob", "psp-7781", 1000, 1000, T - 5000, FINANCE));
        given(opened())
                .when(new DepositFunds(USER, 1000, "psp-7781", T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aReasonWithAControlCharacterIsRefusedAndNothingIsStored() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new RefundFunds(USER, 10, "refund-1", "x\u0000y", T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new AdjustBalance(USER, 10, "adj-1", "forged\nINFO line", T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }
}
