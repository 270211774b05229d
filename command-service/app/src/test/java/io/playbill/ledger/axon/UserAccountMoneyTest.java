package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation.Deposit;
import io.playbill.ledger.api.messages.LedgerOperation.Refund;
import io.playbill.ledger.api.messages.LedgerOperation.Adjust;
import io.playbill.ledger.domain.Wallet;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.T;
import static io.playbill.ledger.axon.AccountEvents.USER;
import static io.playbill.ledger.axon.AccountEvents.deposited;
import static io.playbill.ledger.axon.AccountEvents.opened;
import static io.playbill.ledger.axon.AccountEvents.rules;
import static io.playbill.ledger.axon.AccountEvents.events;
import static io.playbill.ledger.axon.AccountEvents.at;
import static io.playbill.ledger.axon.AccountEvents.balance;
import static io.playbill.ledger.axon.AccountEvents.money;
import static io.playbill.ledger.axon.Refusals.refused;

/** Deposits, refunds and adjustments: idempotent per reference, never below zero. */
class UserAccountMoneyTest {

    private final AggregateTestFixture<UserAccount> fixture = new AggregateTestFixture<>(UserAccount.class);
    /** References recorded in any account: the given events' and other accounts'. */
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();

    {
        fixture.registerInjectableResource(new InMemoryPriceBook());
        fixture.registerInjectableResource(rules(BillingMode.UNDER));
        fixture.registerInjectableResource(registry);
        fixture.registerCommandTargetResolver(LedgerCommands.TARGETS);
    }

    /** The account's history, also recorded in the registry as the ledger's projection would have. */
    private TestExecutor<UserAccount> given(Object... events) {
        registry.record(events);
        return fixture.given(events(events));
    }

    @Test
    void theFirstDepositOpensTheAccount() {
        fixture.givenNoPriorActivity()
                .when(new Deposit(1000, "pay-1"), at(T, FINANCE))
                .expectEvents(events(new AccountOpened(USER, T), new FundsDeposited(USER, "pay-1", money(1000), money(1000), T, FINANCE)))
                .expectResultMessagePayload(balance(1000));
    }

    @Test
    void theSameDepositTwiceIsAppliedOnceAndAnsweredTheSame() {
        given(opened(), deposited(1000, "pay-1", 1000), deposited(500, "pay-2", 1500))
                .when(new Deposit(1000, "pay-1"), at(T + 1000, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(balance(1000));
    }

    @Test
    void aReferenceReusedWithOtherContentIsAConflict() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Deposit(999, "pay-1"), at(T, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void referencesAreSharedByDepositsRefundsAndAdjustments() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(1000, "pay-1", "mistake"), at(T, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aDepositMustBePositive() {
        fixture.givenNoPriorActivity()
                .when(new Deposit(0, "pay-1"), at(T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aDepositNeedsAReference() {
        fixture.givenNoPriorActivity()
                .when(new Deposit(10, " "), at(T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aBalanceHasAnUpperBound() {
        given(opened(), deposited(Wallet.MAX_BALANCE.minorUnits(), "pay-1", Wallet.MAX_BALANCE.minorUnits()))
                .when(new Deposit(1, "pay-2"), at(T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundTakesMoneyBackWithItsReason() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(400, "refund-1", "game crashed"), at(T, FINANCE))
                .expectEvents(events(new FundsRefunded(USER, "refund-1", money(400), "game crashed", money(600), T, FINANCE)))
                .expectResultMessagePayload(balance(600));
    }

    @Test
    void theSameRefundTwiceIsAppliedOnce() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", money(400), "game crashed", money(600), T, FINANCE))
                .when(new Refund(400, "refund-1", "game crashed"), at(T + 5000, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(balance(600));
    }

    @Test
    void aRefundWithAnotherReasonUnderTheSameReferenceIsAConflict() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new FundsRefunded(USER, "refund-1", money(400), "game crashed", money(600), T, FINANCE))
                .when(new Refund(400, "refund-1", "goodwill"), at(T + 5000, FINANCE))
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aRefundNeverMakesTheBalanceNegative() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(1001, "refund-1", "too much"), at(T, FINANCE))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void aRefundNeedsAReason() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(10, "refund-1", null), at(T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aRefundToAnUnknownUserOpensNothing() {
        fixture.givenNoPriorActivity()
                .when(new Refund(10, "refund-1", "why not"), at(T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentCreditsOrDebits() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(-300, "adj-1", "double payment"), at(T, FINANCE))
                .expectEvents(events(new BalanceAdjusted(USER, "adj-1", money(-300), "double payment", money(700), T, FINANCE)));
        fixture.givenNoPriorActivity()
                .when(new Adjust(300, "adj-1", "compensation"), at(T, FINANCE))
                .expectEvents(events(new AccountOpened(USER, T), new BalanceAdjusted(USER, "adj-1", money(300), "compensation", money(300), T, FINANCE)))
                .expectResultMessagePayload(balance(300));
    }

    @Test
    void anAdjustmentNeverMakesTheBalanceNegative() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(-1001, "adj-1", "too much"), at(T, FINANCE))
                .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
    }

    @Test
    void anAdjustmentBeyondTheLargestBalanceIsRefusedEvenWhereNoNegationExists() {
        for (long amount : new long[] {Long.MIN_VALUE, -1_000_000_000_000_000_001L, Long.MAX_VALUE}) {
            given(opened(), deposited(1000, "pay-1", 1000))
                    .when(new Adjust(amount, "adj-1", "overflow"), at(T, FINANCE))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }
    }

    @Test
    void anAdjustmentIsNeverZero() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(0, "adj-1", "nothing"), at(T, FINANCE))
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void theSameAdjustmentTwiceIsAppliedOnce() {
        given(opened(), deposited(1000, "pay-1", 1000),
                        new BalanceAdjusted(USER, "adj-1", money(-300), "double payment", money(700), T, FINANCE))
                .when(new Adjust(-300, "adj-1", "double payment"), at(T + 1, FINANCE))
                .expectNoEvents()
                .expectResultMessagePayload(balance(700));
    }

    @Test
    void aDepositRecordsWhoMadeIt() {
        given(opened())
                .when(new Deposit(1000, "pay-1"), at(T, FINANCE))
                .expectEvents(events(new FundsDeposited(USER, "pay-1", money(1000), money(1000), T, FINANCE)));
    }

    @Test
    void nobodyMovesMoneyOnTheirOwnAccount() {
        Actor self = new Actor(USER, List.of("finance", "admin"));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Deposit(1000, "pay-2"), at(T, self))
                .expectNoEvents()
                .expectException(refused(LedgerError.OWN_ACCOUNT));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(10, "refund-1", "mine"), at(T, self))
                .expectException(refused(LedgerError.OWN_ACCOUNT));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(10, "adj-1", "mine"), at(T, self))
                .expectException(refused(LedgerError.OWN_ACCOUNT));
    }

    /**
     * The ledger believes no producer: a money request whose actor is a player (or has no back-office role) is
     * refused, whoever wrote it to the topic. The gateway sends only finance or admin actors.
     */
    @Test
    void moneyMovesOnlyAtTheRequestOfFinanceOrAnAdmin() {
        Actor player = Actor.player("mallory");
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Deposit(1000, "pay-2"), at(T, player))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(10, "refund-1", "forged"), at(T, new Actor("mallory", List.of("support"))))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(10, "adj-1", "forged"), at(T, player))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
        given(opened())
                .when(new Deposit(1000, "pay-3"), at(T, new Actor("ops", List.of("admin"))))
                .expectEvents(events(new FundsDeposited(USER, "pay-3", money(1000), money(1000), T,
                        new Actor("ops", List.of("admin")))));
    }

    @Test
    void moneyMovesOnlyAtSomeonesRequest() {
        given(opened())
                .when(new Deposit(1000, "pay-1"), at(T, null))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aReferenceAnotherAccountUsedIsAConflictEvenWithTheSameContent() {
        registry.record(new FundsDeposited("bob", "psp-7781", money(1000), money(1000), T - 5000, FINANCE));
        given(opened())
                .when(new Deposit(1000, "psp-7781"), at(T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.REFERENCE_CONFLICT));
    }

    @Test
    void aReasonWithAControlCharacterIsRefusedAndNothingIsStored() {
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Refund(10, "refund-1", "x\u0000y"), at(T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
        given(opened(), deposited(1000, "pay-1", 1000))
                .when(new Adjust(10, "adj-1", "forged\nINFO line"), at(T, FINANCE))
                .expectNoEvents()
                .expectException(refused(LedgerError.INVALID_REQUEST));
    }
}
