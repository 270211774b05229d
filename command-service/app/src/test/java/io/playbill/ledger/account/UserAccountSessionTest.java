package io.playbill.ledger.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.playbill.ledger.account.AccountEvents.AUTHORIZATION_TIMEOUT;
import static io.playbill.ledger.account.AccountEvents.PRICE;
import static io.playbill.ledger.account.AccountEvents.QUEUE;
import static io.playbill.ledger.account.AccountEvents.SESSION;
import static io.playbill.ledger.account.AccountEvents.T;
import static io.playbill.ledger.account.AccountEvents.USER;
import static io.playbill.ledger.account.AccountEvents.answered;
import static io.playbill.ledger.account.AccountEvents.authorized;
import static io.playbill.ledger.account.AccountEvents.charged;
import static io.playbill.ledger.account.AccountEvents.FINANCE;
import static io.playbill.ledger.account.AccountEvents.deposited;
import static io.playbill.ledger.account.AccountEvents.ended;
import static io.playbill.ledger.account.AccountEvents.opened;
import static io.playbill.ledger.account.AccountEvents.renewed;
import static io.playbill.ledger.account.AccountEvents.renewedLimited;
import static io.playbill.ledger.account.AccountEvents.rules;
import static io.playbill.ledger.account.AccountEvents.started;
import static io.playbill.ledger.account.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session rules of shared/spec/token-spec.md §5 on the account aggregate, with the spec's worked examples
 * (C = 60 s; the price is 1 minor unit per second). Every fixture run also checks that replaying the events
 * rebuilds exactly the state the command handler left (Axon's illegal state change detection).
 */
class UserAccountSessionTest {

    private final InMemoryPriceBook prices = new InMemoryPriceBook().price(QUEUE, T - 3_600_000, PRICE);
    /** Session ids other accounts claimed: what the ledger registry holds besides this account's own. */
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();

    private AggregateTestFixture<UserAccount> fixture(BillingSetting billing) {
        AggregateTestFixture<UserAccount> fixture = new AggregateTestFixture<>(UserAccount.class);
        fixture.registerInjectableResource(prices);
        fixture.registerInjectableResource(rules(billing));
        fixture.registerInjectableResource(registry);
        return fixture;
    }

    @Nested
    class Authorization {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        @Test
        void bindsTheSessionToTheUserOnAPricedQueue() {
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T))
                    .expectEvents(authorized(T))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aSessionIdAnotherUserAuthorizedIsNeverThisUsers() {
            registry.record(new SessionAuthorized("bob", SESSION, QUEUE, PRICE, T - 5000, T + 600_000));
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_OF_ANOTHER_USER));
        }

        @Test
        void aSessionIdOfThisUserThatEndedLongAgoIsNotAuthorizedAgain() {
            registry.record(new SessionAuthorized(USER, "old", QUEUE, PRICE, T - 86_400_000, T));
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, "old", QUEUE, T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aQueueNameWithAControlCharacterIsRefusedAndNothingIsStored() {
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, "stan\u0000dard", T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }

        @Test
        void aRetryChangesNothing() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T + 900))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void theSameSessionOnAnotherQueueIsInvalid() {
            prices.price("gold", T - 3_600_000, 120);
            fixture.given(opened(), deposited(1000, "pay-1", 1000), authorized(T))
                    .when(new AuthorizeSession(USER, SESSION, "gold", T + 900))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }

        @Test
        void aQueueWithoutPriceIsUnknown() {
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, "gold", T))
                    .expectException(refused(LedgerError.UNKNOWN_QUEUE));
        }

        @Test
        void aQueueWhosePriceStartsLaterIsUnknownBeforeThat() {
            prices.price("gold", T + 1, 60);
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, "gold", T))
                    .expectException(refused(LedgerError.UNKNOWN_QUEUE));
        }

        @Test
        void aBalanceThatCannotPayOneCycleIsInsufficient() {
            fixture.given(opened(), deposited(59, "pay-1", 59))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void anUnknownUserIsRefusedAndNoAccountIsOpened() {
            fixture.givenNoPriorActivity()
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void aFreeQueueNeedsNoBalance() {
            prices.price("free", T - 3_600_000, 0);
            fixture.givenNoPriorActivity()
                    .when(new AuthorizeSession(USER, SESSION, "free", T))
                    .expectEvents(new AccountOpened(USER, T),
                            new SessionAuthorized(USER, SESSION, "free", 0, T, T + AUTHORIZATION_TIMEOUT));
        }

        @Test
        void oneActiveSessionAtATimeByDefault() {
            fixture.given(opened(), deposited(1000, "pay-1", 1000), authorized(T))
                    .when(new AuthorizeSession(USER, "s2", QUEUE, T + 1000))
                    .expectException(refused(LedgerError.TOO_MANY_SESSIONS));
        }

        @Test
        void anEndedSessionNoLongerCounts() {
            fixture.given(opened(), deposited(1000, "pay-1", 1000), authorized(T),
                            ended(SessionEndReason.STOPPED, T + 500, 0, 0, 0, 1000))
                    .when(new AuthorizeSession(USER, "s2", QUEUE, T + 1000))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new SessionAuthorized(USER, "s2", QUEUE, PRICE, T + 1000,
                            T + 1000 + AUTHORIZATION_TIMEOUT));
        }

        @Test
        void anEndedSessionCannotBeAuthorizedAgain() {
            fixture.given(opened(), deposited(1000, "pay-1", 1000), authorized(T),
                            ended(SessionEndReason.STOPPED, T + 500, 0, 0, 0, 1000))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T + 1000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionIdIsLettersAndDigits() {
            fixture.given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, "not a session!", QUEUE, T))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }

        @Test
        void billingOffStartsNoSessions() {
            fixture(BillingSetting.NONE).given(opened(), deposited(100, "pay-1", 100))
                    .when(new AuthorizeSession(USER, SESSION, QUEUE, T))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }
    }

    @Nested
    class Start {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        @Test
        void underBillChargesNothingAtStart() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new StartSession(USER, SESSION, null, T + 5000))
                    .expectEvents(started(BillingMode.UNDER, T + 5000))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aRetryChangesNothing() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000))
                    .when(new StartSession(USER, SESSION, null, T + 5900))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void theQueueTheClientNamesMustBeTheAuthorizedOne() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new StartSession(USER, SESSION, "premium", T + 5000))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.QUEUE_MISMATCH));
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new StartSession(USER, SESSION, QUEUE, T + 5000))
                    .expectEvents(started(BillingMode.UNDER, T + 5000))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aSessionNotBoundToTheUserIsNotFound() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new StartSession(USER, "someoneElses", null, T + 5000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void anEndedSessionIsNotFound() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T),
                            ended(SessionEndReason.TIMED_OUT, T + AUTHORIZATION_TIMEOUT, 0, 0, 0, 100))
                    .when(new StartSession(USER, SESSION, null, T + AUTHORIZATION_TIMEOUT + 1))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void theBalanceMustStillPayOneCycle() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T),
                            new FundsRefunded(USER, "refund-1", 50, "goodwill", 50, T + 1000, FINANCE))
                    .when(new StartSession(USER, SESSION, null, T + 5000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void overBillChargesTheFreeThirtySecondsAtStart() {
            fixture(BillingSetting.OVER).given(opened(), deposited(1000, "pay-1", 1000), authorized(T))
                    .when(new StartSession(USER, SESSION, null, T + 5000))
                    .expectEvents(started(BillingMode.OVER, T + 5000), charged(T + 5000, 30, 30, 30, 970))
                    .expectResultMessagePayload(answered(970));
        }

        @Test
        void overBillRoundsUp() {
            prices.price("cheap", T - 3_600_000, 1);
            fixture(BillingSetting.OVER).given(opened(), deposited(5, "pay-1", 5),
                            new SessionAuthorized(USER, SESSION, "cheap", 1, T, T + AUTHORIZATION_TIMEOUT))
                    .when(new StartSession(USER, SESSION, null, T + 5000))
                    .expectEvents(new SessionStarted(USER, SESSION, "cheap",
                                    BillingMode.OVER, 60, 1, 30, T + 5000, T + 65_000),
                            new PlaytimeCharged(USER, SESSION, "cheap", T + 5000, 1,
                                    30, 30, 1, 4));
        }
    }

    /** Under-bill, C = 60, 1 per second, balance 100: the timeline of docs/billing.md. */
    @Nested
    class UnderBill {

        private static final long START = T + 5000;
        private static final long T0 = T + 8000;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        private Object[] startedWith100() {
            return new Object[]{opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, START)};
        }

        private Object[] afterSecondRenew() {
            return concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100),
                    charged(T0 + 35_500, 35, 35, 35, 65), renewed(T0 + 35_500, 60, T0, 35, 95, 95, 65));
        }

        private Object[] afterThirdRenew() {
            return concat(afterSecondRenew(), charged(T0 + 70_000, 35, 70, 35, 30),
                    renewedLimited(T0 + 70_000, 95, T0, 70, 100, 100, 30));
        }

        @Test
        void firstRenewSetsT0ChargesNothingAndGrantsOneCycle() {
            fixture.given(startedWith100())
                    .when(new RenewSession(USER, SESSION, 0, T0))
                    .expectEvents(renewed(T0, 0, T0, 0, 60, 60, 100))
                    .expectResultMessagePayload(answered(100, 60));
        }

        @Test
        void firstRenewGrantsNoMoreThanTheBalancePaysFor() {
            fixture.given(concat(startedWith100(), new FundsRefunded(USER, "refund-1", 70, "goodwill", 30, T + 6000, FINANCE)))
                    .when(new RenewSession(USER, SESSION, 0, T0))
                    .expectEvents(renewedLimited(T0, 0, T0, 0, 30, 30, 30))
                    .expectResultMessagePayload(answered(30, 30));
        }

        @Test
        void laterRenewChargesThePlayedSecondsAndGrantsAnotherCycle() {
            fixture.given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RenewSession(USER, SESSION, 60, T0 + 35_500))
                    .expectEvents(charged(T0 + 35_500, 35, 35, 35, 65), renewed(T0 + 35_500, 60, T0, 35, 95, 95, 65))
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void theDeadlineStopsGrowingWhenTheBalanceRunsLow() {
            fixture.given(afterSecondRenew())
                    .when(new RenewSession(USER, SESSION, 95, T0 + 70_000))
                    .expectEvents(charged(T0 + 70_000, 35, 70, 35, 30), renewedLimited(T0 + 70_000, 95, T0, 70, 100, 100, 30))
                    .expectResultMessagePayload(answered(30, 100));
        }

        @Test
        void whileThePaidSecondsLastRenewsChargeButTheDeadlineNoLongerGrows() {
            fixture.given(afterThirdRenew())
                    .when(new RenewSession(USER, SESSION, 100, T0 + 71_000))
                    .expectEvents(charged(T0 + 71_000, 1, 71, 1, 29), renewedLimited(T0 + 71_000, 100, T0, 71, 100, 100, 29))
                    .expectResultMessagePayload(answered(29, 100));
        }

        @Test
        void aRenewThatFindsEverythingPlayedAndThePaidTimeUsedUpEndsTheSessionAsExhausted() {
            fixture.given(afterThirdRenew())
                    .when(new RenewSession(USER, SESSION, 100, T0 + 100_400))
                    .expectEvents(charged(T0 + 100_400, 30, 100, 30, 0), renewedLimited(T0 + 100_400, 100, T0, 100, 100, 100, 0),
                            ended(SessionEndReason.BALANCE_EXHAUSTED, T0 + 100_400, 100, 100, 100, 0))
                    .expectResultMessagePayload(answered(0, 100));
        }

        @Test
        void anExhaustedSessionKeepsAnsweringItsLastDeadline() {
            fixture.given(concat(afterThirdRenew(), charged(T0 + 100_400, 30, 100, 30, 0),
                            renewedLimited(T0 + 100_400, 100, T0, 100, 100, 100, 0),
                            ended(SessionEndReason.BALANCE_EXHAUSTED, T0 + 100_400, 100, 100, 100, 0)))
                    .when(new RenewSession(USER, SESSION, 100, T0 + 105_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(0, 100));
        }

        @Test
        void aLateRenewOfASessionWithMoneyIsBilledAndNeverEndsItAsExhausted() {
            // Received 200 s after t0 (e.g. it waited in Kafka during a ledger outage): played is capped at the 60 s
            // granted, the balance pays for another cycle, so the session is not balance-limited.
            fixture.given(opened(), deposited(1000, "pay-1", 1000), authorized(T), started(BillingMode.UNDER, START),
                            renewed(T0, 0, T0, 0, 60, 60, 1000))
                    .when(new RenewSession(USER, SESSION, 60, T0 + 200_000))
                    .expectEvents(charged(T0 + 200_000, 60, 60, 60, 940), renewed(T0 + 200_000, 60, T0, 60, 120, 120, 940))
                    .expectResultMessagePayload(answered(940, 120));
        }

        @Test
        void aSecondLastDeadlineZeroIsARetryThatNeverResetsT0() {
            fixture.given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RenewSession(USER, SESSION, 0, T0 + 2000))
                    .expectEvents(charged(T0 + 2000, 2, 2, 2, 98), renewed(T0 + 2000, 0, T0, 2, 62, 62, 98))
                    .expectResultMessagePayload(answered(98, 62));
        }

        @Test
        void aDuplicateDeliveryChangesNothingAndIsAnsweredTheSame() {
            fixture.given(afterSecondRenew())
                    .when(new RenewSession(USER, SESSION, 60, T0 + 35_500))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void anOutOfOrderRenewNeverChargesLessOrShrinksTheDeadline() {
            fixture.given(afterSecondRenew())
                    .when(new RenewSession(USER, SESSION, 60, T0 + 20_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void grantedPlaytimeKeepsTheGrantPriceAndNewPlaytimeTakesTheNewOne() {
            prices.price(QUEUE, T0 + 10_000, 120);
            Object[] afterPriceRise = concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100),
                    charged(T0 + 35_500, 35, 35, 35, 65), renewedLimited(T0 + 35_500, 60, T0, 120, 35, 80, 80, 65));

            fixture.given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RenewSession(USER, SESSION, 60, T0 + 35_500))
                    .expectEvents(charged(T0 + 35_500, 35, 35, 35, 65), renewedLimited(T0 + 35_500, 60, T0, 120, 35, 80, 80, 65));
            fixture.given(afterPriceRise)
                    .when(new RenewSession(USER, SESSION, 80, T0 + 70_000))
                    .expectEvents(charged(T0 + 70_000, 60, 25, 60, 25, 40), charged(T0 + 70_000, 120, 10, 70, 20, 20),
                            renewedLimited(T0 + 70_000, 80, T0, 120, 70, 80, 80, 20));
            fixture.given(concat(afterPriceRise, charged(T0 + 70_000, 60, 25, 60, 25, 40),
                            charged(T0 + 70_000, 120, 10, 70, 20, 20), renewedLimited(T0 + 70_000, 80, T0, 120, 70, 80, 80, 20)))
                    .when(new RenewSession(USER, SESSION, 80, T0 + 81_000))
                    .expectEvents(charged(T0 + 81_000, 120, 10, 80, 20, 0), renewedLimited(T0 + 81_000, 80, T0, 120, 80, 80, 80, 0),
                            ended(SessionEndReason.BALANCE_EXHAUSTED, T0 + 81_000, 80, 100, 80, 0));
        }

        @Test
        void stopChargesThePlayedSeconds() {
            fixture.given(afterSecondRenew())
                    .when(new StopSession(USER, SESSION, T0 + 50_200))
                    .expectEvents(charged(T0 + 50_200, 15, 50, 15, 50),
                            ended(SessionEndReason.STOPPED, T0 + 50_200, 50, 50, 95, 50))
                    .expectResultMessagePayload(answered(50));
        }

        @Test
        void stopNeverChargesPastTheDeadline() {
            fixture.given(afterSecondRenew())
                    .when(new StopSession(USER, SESSION, T0 + 150_000))
                    .expectEvents(charged(T0 + 150_000, 60, 95, 60, 5),
                            ended(SessionEndReason.STOPPED, T0 + 150_000, 95, 95, 95, 5));
        }

        @Test
        void stopBeforeTheFirstRenewChargesNothing() {
            fixture.given(startedWith100())
                    .when(new StopSession(USER, SESSION, START + 10_000))
                    .expectEvents(ended(SessionEndReason.STOPPED, START + 10_000, 0, 0, 0, 100));
        }

        @Test
        void aSecondStopChangesNothing() {
            fixture.given(concat(afterSecondRenew(), charged(T0 + 50_200, 15, 50, 15, 50),
                            ended(SessionEndReason.STOPPED, T0 + 50_200, 50, 50, 95, 50)))
                    .when(new StopSession(USER, SESSION, T0 + 50_200))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(50));
        }

        @Test
        void aStoppedSessionIsNotRenewed() {
            fixture.given(concat(afterSecondRenew(), ended(SessionEndReason.STOPPED, T0 + 40_000, 35, 35, 95, 65)))
                    .when(new RenewSession(USER, SESSION, 95, T0 + 66_000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionNotBoundToTheUserIsNotRenewed() {
            fixture.given(afterSecondRenew())
                    .when(new RenewSession(USER, "someoneElses", 0, T0 + 40_000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionThatDidNotStartIsNotRenewed() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new RenewSession(USER, SESSION, 0, T0))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void grantedPlaytimeIsReservedAgainstRefunds() {
            fixture.given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RefundFunds(USER, 50, "refund-1", "goodwill", T0 + 1000, FINANCE))
                    .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
            fixture.given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RefundFunds(USER, 40, "refund-1", "goodwill", T0 + 1000, FINANCE))
                    .expectEvents(new FundsRefunded(USER, "refund-1", 40, "goodwill", 60, T0 + 1000, FINANCE));
        }

        @Test
        void runningSessionsFinishWhenBillingIsSwitchedOff() {
            fixture(BillingSetting.NONE).given(concat(startedWith100(), renewed(T0, 0, T0, 0, 60, 60, 100)))
                    .when(new RenewSession(USER, SESSION, 60, T0 + 35_500))
                    .expectEvents(charged(T0 + 35_500, 35, 35, 35, 65), renewed(T0 + 35_500, 60, T0, 35, 95, 95, 65));
        }
    }

    /** Over-bill, C = 60, 1 per second, balance 1000: the timeline of docs/billing.md. */
    @Nested
    class OverBill {

        private static final long START = T + 5000;
        private static final long T0 = START + 4200;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.OVER);

        private Object[] startedWith(long deposit) {
            return new Object[]{opened(), deposited(deposit, "pay-1", deposit), authorized(T),
                    started(BillingMode.OVER, START), charged(START, 30, 30, 30, deposit - 30)};
        }

        @Test
        void firstRenewChargesFromTheStartUpToNowPlusOneCycle() {
            fixture.given(startedWith(1000))
                    .when(new RenewSession(USER, SESSION, 0, T0))
                    .expectEvents(charged(T0, 35, 65, 35, 935), renewed(T0, 0, T0, 65, 65, 60, 935))
                    .expectResultMessagePayload(answered(935, 60));
        }

        @Test
        void laterRenewsChargeUpToNowPlusOneCycleAndTheDeadlineIsTheEndOfTheChargedTime() {
            fixture.given(concat(startedWith(1000), charged(T0, 35, 65, 35, 935), renewed(T0, 0, T0, 65, 65, 60, 935)))
                    .when(new RenewSession(USER, SESSION, 60, START + 35_200))
                    .expectEvents(charged(START + 35_200, 31, 96, 31, 904),
                            renewed(START + 35_200, 60, T0, 96, 96, 91, 904))
                    .expectResultMessagePayload(answered(904, 91));
        }

        @Test
        void stopChargesNothingMore() {
            fixture.given(concat(startedWith(1000), charged(T0, 35, 65, 35, 935), renewed(T0, 0, T0, 65, 65, 60, 935),
                            charged(START + 35_200, 31, 96, 31, 904), renewed(START + 35_200, 60, T0, 96, 96, 91, 904)))
                    .when(new StopSession(USER, SESSION, START + 54_200))
                    .expectEvents(ended(SessionEndReason.STOPPED, START + 54_200, 96, 96, 91, 904));
        }

        @Test
        void theDeadlineStopsAtWhatTheBalancePaysAndTheSessionEndsWhenThePaidTimeDoes() {
            Object[] afterFirstRenew = concat(startedWith(70), charged(T0, 35, 65, 35, 5),
                    renewed(T0, 0, T0, 65, 65, 60, 5));
            fixture.given(afterFirstRenew)
                    .when(new RenewSession(USER, SESSION, 60, START + 35_200))
                    .expectEvents(charged(START + 35_200, 5, 70, 5, 0), renewedLimited(START + 35_200, 60, T0, 70, 70, 65, 0));
            fixture.given(concat(afterFirstRenew, charged(START + 35_200, 5, 70, 5, 0),
                            renewedLimited(START + 35_200, 60, T0, 70, 70, 65, 0)))
                    .when(new RenewSession(USER, SESSION, 65, START + 40_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(0, 65));
            fixture.given(concat(afterFirstRenew, charged(START + 35_200, 5, 70, 5, 0),
                            renewedLimited(START + 35_200, 60, T0, 70, 70, 65, 0)))
                    .when(new ExpireSession(USER, SESSION, T0 + 65_000))
                    .expectEvents(ended(SessionEndReason.BALANCE_EXHAUSTED, T0 + 65_000, 70, 70, 65, 0));
        }

        @Test
        void aRetriedRenewIsNeverChargedTwice() {
            fixture.given(concat(startedWith(1000), charged(T0, 35, 65, 35, 935), renewed(T0, 0, T0, 65, 65, 60, 935)))
                    .when(new RenewSession(USER, SESSION, 0, T0))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(935, 60));
        }
    }

    @Nested
    class CloudGameAdmission {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        @Test
        void anAuthorizedSessionWhoseBalancePaysACycleIsAdmittedAndNothingIsStored() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new AdmitCloudGame(USER, SESSION, T + 3000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aBrokePlayerIsNotAdmitted() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T),
                            new FundsRefunded(USER, "refund-1", 50, "goodwill", 50, T + 1000, FINANCE))
                    .when(new AdmitCloudGame(USER, SESSION, T + 3000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void aSessionThatIsNotTheUsersOrHasEndedIsNotAdmitted() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new AdmitCloudGame(USER, "someoneElses", T + 3000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T),
                            ended(SessionEndReason.STOPPED, T + 2000, 0, 0, 0, 100))
                    .when(new AdmitCloudGame(USER, SESSION, T + 3000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aBillingSessionIsAdmittedUntilItsPaidPlaytimeIsOver() {
            long t0 = T + 8000;
            Object[] limited = {opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, T + 5000), renewed(t0, 0, t0, 0, 60, 60, 100),
                    charged(t0 + 70_000, 70, 70, 70, 30), renewedLimited(t0 + 70_000, 95, t0, 70, 100, 100, 30)};
            fixture.given(limited)
                    .when(new AdmitCloudGame(USER, SESSION, t0 + 99_000))
                    .expectResultMessagePayload(answered(30));
            fixture.given(limited)
                    .when(new AdmitCloudGame(USER, SESSION, t0 + 100_000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }
    }

    @Nested
    class EndedSessionsKept {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        /** {@code count} sessions authorized and stopped one after the other, all claimed in the registry. */
        private Object[] endedSessions(int count) {
            List<Object> events = new ArrayList<>(List.of(opened(), deposited(100, "pay-1", 100)));
            for (int i = 0; i < count; i++) {
                SessionAuthorized authorized = new SessionAuthorized(USER, "s" + i, QUEUE, PRICE, T + i * 1000L,
                        T + i * 1000L + AUTHORIZATION_TIMEOUT);
                registry.record(authorized);
                events.add(authorized);
                events.add(new SessionEnded(USER, "s" + i, QUEUE, SessionEndReason.STOPPED, T + i * 1000L + 500, 0,
                        0, 0, 100));
            }
            return events.toArray();
        }

        @Test
        void theOldestEndedSessionsLeaveTheAccountButAreStillRecognised() {
            int count = UserAccount.ENDED_SESSIONS_KEPT + 1;
            long later = T + count * 1000L;
            fixture.given(endedSessions(count))
                    .when(new StopSession(USER, "s0", later))
                    .expectNoEvents()
                    .expectResultMessagePayload(AccountAnswer.withBalance(100))
                    .expectState(account -> assertThat(account).extracting("sessions")
                            .asInstanceOf(InstanceOfAssertFactories.MAP)
                            .hasSize(UserAccount.ENDED_SESSIONS_KEPT).doesNotContainKey("s0").containsKey("s1"));
            fixture.given(endedSessions(count))
                    .when(new AuthorizeSession(USER, "s0", QUEUE, later))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
            fixture.given(endedSessions(count))
                    .when(new RenewSession(USER, "s0", 60, later))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }
    }

    @Nested
    class Expiry {

        private static final long T0 = T + 8000;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingSetting.UNDER);

        @Test
        void anAuthorizedSessionThatNeverStartsTimesOut() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T))
                    .when(new ExpireSession(USER, SESSION, T + AUTHORIZATION_TIMEOUT))
                    .expectEvents(ended(SessionEndReason.TIMED_OUT, T + AUTHORIZATION_TIMEOUT, 0, 0, 0, 100));
        }

        @Test
        void aSessionIsNotExpiredBeforeItIsDue() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renewed(T0, 0, T0, 0, 60, 60, 100))
                    .when(new ExpireSession(USER, SESSION, T0 + 89_999))
                    .expectNoEvents();
        }

        @Test
        void aSessionWithoutRenewForDeadlinePlusThirtySecondsTimesOutWithItsFinalBilledTime() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renewed(T0, 0, T0, 0, 60, 60, 100), charged(T0 + 35_500, 35, 35, 35, 65),
                            renewed(T0 + 35_500, 60, T0, 35, 95, 95, 65))
                    .when(new ExpireSession(USER, SESSION, T0 + 200_000))
                    .expectEvents(ended(SessionEndReason.TIMED_OUT, T0 + 125_000, 35, 35, 95, 65));
        }

        @Test
        void aBalanceLimitedSessionEndsAsExhaustedWhenItsGrantedPlaytimeEndsAndChargesNothingMore() {
            Object[] limited = {opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, T + 5000), renewed(T0, 0, T0, 0, 60, 60, 100),
                    charged(T0 + 50_000, 50, 50, 50, 50), renewedLimited(T0 + 50_000, 60, T0, 50, 100, 100, 50)};
            fixture.given(limited)
                    .when(new ExpireSession(USER, SESSION, T0 + 99_999))
                    .expectNoEvents();
            fixture.given(limited)
                    .when(new ExpireSession(USER, SESSION, T0 + 100_000))
                    .expectEvents(ended(SessionEndReason.BALANCE_EXHAUSTED, T0 + 100_000, 50, 50, 100, 50));
        }

        @Test
        void aDepositAndARenewBeforeThePaidTimeEndsLiftTheLimit() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renewed(T0, 0, T0, 0, 60, 60, 100), charged(T0 + 50_000, 50, 50, 50, 50),
                            renewedLimited(T0 + 50_000, 60, T0, 50, 100, 100, 50), deposited(500, "pay-2", 550))
                    .when(new RenewSession(USER, SESSION, 100, T0 + 80_000))
                    .expectEvents(charged(T0 + 80_000, 30, 80, 30, 520), renewed(T0 + 80_000, 100, T0, 80, 140, 140, 520))
                    .expectResultMessagePayload(answered(520, 140));
        }

        @Test
        void aStartedSessionThatNeverRenewsTimesOutAfterTheFreeTimeAndTheRenewWait() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000))
                    .when(new ExpireSession(USER, SESSION, T + 65_000))
                    .expectEvents(ended(SessionEndReason.TIMED_OUT, T + 65_000, 0, 0, 0, 100));
        }

        @Test
        void anEndedSessionIsLeftAlone() {
            fixture.given(opened(), deposited(100, "pay-1", 100), authorized(T),
                            ended(SessionEndReason.STOPPED, T + 1000, 0, 0, 0, 100))
                    .when(new ExpireSession(USER, SESSION, T + 2 * AUTHORIZATION_TIMEOUT))
                    .expectNoEvents();
        }
    }

    static Object[] concat(Object[] first, Object... more) {
        Object[] all = new Object[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
