package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation.AuthorizeSession;
import io.playbill.ledger.api.messages.LedgerOperation.StartSession;
import io.playbill.ledger.api.messages.LedgerOperation.RenewSession;
import io.playbill.ledger.api.messages.LedgerOperation.StopSession;
import io.playbill.ledger.api.messages.LedgerOperation.AdmitCloudGame;
import io.playbill.ledger.api.messages.LedgerOperation.Refund;
import io.playbill.ledger.domain.SessionBook;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.playbill.ledger.axon.AccountEvents.AUTHORIZATION_TIMEOUT;
import static io.playbill.ledger.axon.AccountEvents.PRICE;
import static io.playbill.ledger.axon.AccountEvents.QUEUE;
import static io.playbill.ledger.axon.AccountEvents.SESSION;
import static io.playbill.ledger.axon.AccountEvents.T;
import static io.playbill.ledger.axon.AccountEvents.USER;
import static io.playbill.ledger.axon.AccountEvents.answered;
import static io.playbill.ledger.axon.AccountEvents.authorized;
import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.deposited;
import static io.playbill.ledger.axon.AccountEvents.opened;
import static io.playbill.ledger.axon.AccountEvents.rules;
import static io.playbill.ledger.axon.AccountEvents.started;
import static io.playbill.ledger.axon.Refusals.refused;
import static io.playbill.ledger.axon.AccountEvents.events;
import static io.playbill.ledger.axon.AccountEvents.at;
import static io.playbill.ledger.axon.AccountEvents.balance;
import static io.playbill.ledger.axon.AccountEvents.money;
import static io.playbill.ledger.axon.AccountEvents.seconds;
import static io.playbill.ledger.axon.AccountEvents.renew;
import static io.playbill.ledger.axon.AccountEvents.charge;
import static io.playbill.ledger.axon.AccountEvents.end;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session rules of docs/spec/token-spec.md §5 on the account aggregate, with the spec's worked examples
 * (C = 60 s; the price is 1 minor unit per second). Every fixture run also checks that replaying the events
 * rebuilds exactly the state the command handler left (Axon's illegal state change detection).
 */
class UserAccountSessionTest {

    private final InMemoryPriceBook prices = new InMemoryPriceBook().price(QUEUE, T - 3_600_000, PRICE);
    /** Session ids other accounts claimed: what the ledger registry holds besides this account's own. */
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();

    private AggregateTestFixture<UserAccount> fixture(BillingMode billing) {
        AggregateTestFixture<UserAccount> fixture = new AggregateTestFixture<>(UserAccount.class);
        fixture.registerInjectableResource(prices);
        fixture.registerInjectableResource(rules(billing));
        fixture.registerInjectableResource(registry);
        fixture.registerCommandTargetResolver(LedgerCommands.TARGETS);
        return fixture;
    }

    @Nested
    class Authorization {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        @Test
        void bindsTheSessionToTheUserOnAPricedQueue() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T))
                    .expectEvents(events(authorized(T)))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aSessionIdAnotherUserAuthorizedIsNeverThisUsers() {
            registry.record(new SessionAuthorized("bob", SESSION, QUEUE, PRICE, T - 5000, T + 600_000));
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_OF_ANOTHER_USER));
        }

        @Test
        void aSessionIdOfThisUserThatEndedLongAgoIsNotAuthorizedAgain() {
            registry.record(new SessionAuthorized(USER, "old", QUEUE, PRICE, T - 86_400_000, T));
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession("old", QUEUE), at(T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aQueueNameWithAControlCharacterIsRefusedAndNothingIsStored() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, "stan\u0000dard"), at(T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }

        @Test
        void aRetryChangesNothing() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T + 900))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void theSameSessionOnAnotherQueueIsAQueueMismatch() {
            prices.price("gold", T - 3_600_000, 120);
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T)))
                    .when(new AuthorizeSession(SESSION, "gold"), at(T + 900))
                    .expectException(refused(LedgerError.QUEUE_MISMATCH));
        }

        @Test
        void aQueueWithoutPriceIsUnknown() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, "gold"), at(T))
                    .expectException(refused(LedgerError.UNKNOWN_QUEUE));
        }

        @Test
        void aQueueWhosePriceStartsLaterIsUnknownBeforeThat() {
            prices.price("gold", T + 1, 60);
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, "gold"), at(T))
                    .expectException(refused(LedgerError.UNKNOWN_QUEUE));
        }

        @Test
        void aBalanceThatCannotPayOneCycleIsInsufficient() {
            fixture.given(events(opened(), deposited(59, "pay-1", 59)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void anUnknownUserIsRefusedAndNoAccountIsOpened() {
            fixture.givenNoPriorActivity()
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void aFreeQueueNeedsNoBalance() {
            prices.price("free", T - 3_600_000, 0);
            fixture.givenNoPriorActivity()
                    .when(new AuthorizeSession(SESSION, "free"), at(T))
                    .expectEvents(events(new AccountOpened(USER, T),
                            new SessionAuthorized(USER, SESSION, "free", 0, T, T + AUTHORIZATION_TIMEOUT)));
        }

        @Test
        void oneActiveSessionAtATimeByDefault() {
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T)))
                    .when(new AuthorizeSession("s2", QUEUE), at(T + 1000))
                    .expectException(refused(LedgerError.TOO_MANY_SESSIONS));
        }

        @Test
        void anEndedSessionNoLongerCounts() {
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T),
                            end(SessionEndReason.STOPPED).at(T + 500).charged(0).deadline(0).balance(1000)))
                    .when(new AuthorizeSession("s2", QUEUE), at(T + 1000))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(events(new SessionAuthorized(USER, "s2", QUEUE, PRICE, T + 1000,
                            T + 1000 + AUTHORIZATION_TIMEOUT)));
        }

        @Test
        void anEndedSessionCannotBeAuthorizedAgain() {
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T),
                            end(SessionEndReason.STOPPED).at(T + 500).charged(0).deadline(0).balance(1000)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T + 1000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionIdIsLettersAndDigits() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession("not a session!", QUEUE), at(T))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }

        @Test
        void billingOffStartsNoSessions() {
            fixture(BillingMode.NONE).given(events(opened(), deposited(100, "pay-1", 100)))
                    .when(new AuthorizeSession(SESSION, QUEUE), at(T))
                    .expectException(refused(LedgerError.INVALID_REQUEST));
        }
    }

    @Nested
    class Start {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        @Test
        void underBillChargesNothingAtStart() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new StartSession(SESSION, null), at(T + 5000))
                    .expectEvents(events(started(BillingMode.UNDER, T + 5000)))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aRetryChangesNothing() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000)))
                    .when(new StartSession(SESSION, null), at(T + 5900))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void theQueueTheClientNamesMustBeTheAuthorizedOne() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new StartSession(SESSION, "premium"), at(T + 5000))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.QUEUE_MISMATCH));
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new StartSession(SESSION, QUEUE), at(T + 5000))
                    .expectEvents(events(started(BillingMode.UNDER, T + 5000)))
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aSessionNotBoundToTheUserIsNotFound() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new StartSession("someoneElses", null), at(T + 5000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void anEndedSessionIsNotFound() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T),
                            end(SessionEndReason.TIMED_OUT).at(T + AUTHORIZATION_TIMEOUT).charged(0).deadline(0).balance(100)))
                    .when(new StartSession(SESSION, null), at(T + AUTHORIZATION_TIMEOUT + 1))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void theBalanceMustStillPayOneCycle() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T),
                            new FundsRefunded(USER, "refund-1", money(50), "goodwill", money(50), T + 1000, FINANCE)))
                    .when(new StartSession(SESSION, null), at(T + 5000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void overBillChargesTheFreeThirtySecondsAtStart() {
            fixture(BillingMode.OVER).given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T)))
                    .when(new StartSession(SESSION, null), at(T + 5000))
                    .expectEvents(events(started(BillingMode.OVER, T + 5000), charge().at(T + 5000).seconds(30).billed(30).amount(30).balance(970)))
                    .expectResultMessagePayload(answered(970));
        }

        @Test
        void overBillRoundsUp() {
            prices.price("cheap", T - 3_600_000, 1);
            fixture(BillingMode.OVER).given(events(opened(), deposited(5, "pay-1", 5),
                            new SessionAuthorized(USER, SESSION, "cheap", 1, T, T + AUTHORIZATION_TIMEOUT)))
                    .when(new StartSession(SESSION, null), at(T + 5000))
                    .expectEvents(events(new SessionStarted(USER, SESSION, "cheap", BillingMode.OVER, seconds(60), 1, seconds(30), T + 5000, T + 65_000),
                            new PlaytimeCharged(USER, SESSION, "cheap", T + 5000, 1, seconds(30), seconds(30), money(1), money(4))));
        }
    }

    /** Under-bill, C = 60, 1 per second, balance 100: the timeline of docs/billing.md. */
    @Nested
    class UnderBill {

        private static final long START = T + 5000;
        private static final long T0 = T + 8000;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        private Object[] startedWith100() {
            return new Object[]{opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, START)};
        }

        private Object[] afterSecondRenew() {
            return concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100),
                    charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65), renew().at(T0 + 35_500).lastDeadline(60).t0(T0).billed(35).granted(95).deadline(95).balance(65));
        }

        private Object[] afterThirdRenew() {
            return concat(afterSecondRenew(), charge().at(T0 + 70_000).seconds(35).billed(70).amount(35).balance(30),
                    renew().at(T0 + 70_000).lastDeadline(95).t0(T0).billed(70).granted(100).deadline(100).balance(30).limited());
        }

        @Test
        void firstRenewSetsT0ChargesNothingAndGrantsOneCycle() {
            fixture.given(events(startedWith100()))
                    .when(new RenewSession(SESSION, 0), at(T0))
                    .expectEvents(events(renew().at(T0).t0(T0).granted(60).deadline(60).balance(100)))
                    .expectResultMessagePayload(answered(100, 60));
        }

        @Test
        void firstRenewGrantsNoMoreThanTheBalancePaysFor() {
            fixture.given(events(concat(startedWith100(), new FundsRefunded(USER, "refund-1", money(70), "goodwill", money(30), T + 6000, FINANCE))))
                    .when(new RenewSession(SESSION, 0), at(T0))
                    .expectEvents(events(renew().at(T0).t0(T0).granted(30).deadline(30).balance(30).limited()))
                    .expectResultMessagePayload(answered(30, 30));
        }

        @Test
        void laterRenewChargesThePlayedSecondsAndGrantsAnotherCycle() {
            fixture.given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new RenewSession(SESSION, 60), at(T0 + 35_500))
                    .expectEvents(events(charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65), renew().at(T0 + 35_500).lastDeadline(60).t0(T0).billed(35).granted(95).deadline(95).balance(65)))
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void theDeadlineStopsGrowingWhenTheBalanceRunsLow() {
            fixture.given(events(afterSecondRenew()))
                    .when(new RenewSession(SESSION, 95), at(T0 + 70_000))
                    .expectEvents(events(charge().at(T0 + 70_000).seconds(35).billed(70).amount(35).balance(30), renew().at(T0 + 70_000).lastDeadline(95).t0(T0).billed(70).granted(100).deadline(100).balance(30).limited()))
                    .expectResultMessagePayload(answered(30, 100));
        }

        @Test
        void whileThePaidSecondsLastRenewsChargeButTheDeadlineNoLongerGrows() {
            fixture.given(events(afterThirdRenew()))
                    .when(new RenewSession(SESSION, 100), at(T0 + 71_000))
                    .expectEvents(events(charge().at(T0 + 71_000).seconds(1).billed(71).amount(1).balance(29), renew().at(T0 + 71_000).lastDeadline(100).t0(T0).billed(71).granted(100).deadline(100).balance(29).limited()))
                    .expectResultMessagePayload(answered(29, 100));
        }

        @Test
        void aRenewThatFindsEverythingPlayedAndThePaidTimeUsedUpEndsTheSessionAsExhausted() {
            fixture.given(events(afterThirdRenew()))
                    .when(new RenewSession(SESSION, 100), at(T0 + 100_400))
                    .expectEvents(events(charge().at(T0 + 100_400).seconds(30).billed(100).amount(30).balance(0), renew().at(T0 + 100_400).lastDeadline(100).t0(T0).billed(100).granted(100).deadline(100).balance(0).limited(),
                            end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 100_400).billed(100).charged(100).deadline(100).balance(0)))
                    .expectResultMessagePayload(answered(0, 100));
        }

        @Test
        void anExhaustedSessionKeepsAnsweringItsLastDeadline() {
            fixture.given(events(concat(afterThirdRenew(), charge().at(T0 + 100_400).seconds(30).billed(100).amount(30).balance(0),
                            renew().at(T0 + 100_400).lastDeadline(100).t0(T0).billed(100).granted(100).deadline(100).balance(0).limited(),
                            end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 100_400).billed(100).charged(100).deadline(100).balance(0))))
                    .when(new RenewSession(SESSION, 100), at(T0 + 105_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(0, 100));
        }

        @Test
        void aRenewReceivedAfterTheSessionExpiredIsRefusedAsTheScanWouldLeaveIt() {
            // Received 200 s after t0, long after the SDK gave up (t0 + 60 s granted + 30 s renew wait): whether or
            // not the expiry scan has ended the session yet, it is not renewed, billed or granted another cycle.
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T), started(BillingMode.UNDER, START),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(1000)))
                    .when(new RenewSession(SESSION, 60), at(T0 + 200_000))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aRenewReceivedJustBeforeTheSessionExpiredIsStillBilledAndRenewed() {
            // Received 85 s after t0 (before t0 + 90 s, when the SDK gives up): played is capped at the 60 s granted.
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T), started(BillingMode.UNDER, START),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(1000)))
                    .when(new RenewSession(SESSION, 60), at(T0 + 85_000))
                    .expectEvents(events(charge().at(T0 + 85_000).seconds(60).billed(60).amount(60).balance(940), renew().at(T0 + 85_000).lastDeadline(60).t0(T0).billed(60).granted(120).deadline(120).balance(940)))
                    .expectResultMessagePayload(answered(940, 120));
        }

        @Test
        void aRedeliveredLateRenewIsAnsweredTheSameAndChargesNothingMore() {
            // The late renew billed the 60 s granted before it and granted 120: its redelivery must not bill up to
            // the 120 s its own first delivery granted.
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T), started(BillingMode.UNDER, START),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(1000),
                            charge().at(T0 + 85_000).seconds(60).billed(60).amount(60).balance(940), renew().at(T0 + 85_000).lastDeadline(60).t0(T0).billed(60).granted(120).deadline(120).balance(940)))
                    .when(new RenewSession(SESSION, 60), at(T0 + 85_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(940, 120));
        }

        @Test
        void aRenewOvertakenByALateRenewBillsNothing() {
            // Received before the late renew was decided (another gateway, a retry overtaken): the seconds between
            // the old grant and its receive time were not granted when it was sent, and the next renew bills them.
            fixture.given(events(opened(), deposited(1000, "pay-1", 1000), authorized(T), started(BillingMode.UNDER, START),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(1000),
                            charge().at(T0 + 200_000).seconds(60).billed(60).amount(60).balance(940), renew().at(T0 + 200_000).lastDeadline(60).t0(T0).billed(60).granted(120).deadline(120).balance(940)))
                    .when(new RenewSession(SESSION, 60), at(T0 + 90_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(940, 120));
        }

        @Test
        void aSecondLastDeadlineZeroIsARetryThatNeverResetsT0() {
            fixture.given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new RenewSession(SESSION, 0), at(T0 + 2000))
                    .expectEvents(events(charge().at(T0 + 2000).seconds(2).billed(2).amount(2).balance(98), renew().at(T0 + 2000).t0(T0).billed(2).granted(62).deadline(62).balance(98)))
                    .expectResultMessagePayload(answered(98, 62));
        }

        @Test
        void aDuplicateDeliveryChangesNothingAndIsAnsweredTheSame() {
            fixture.given(events(afterSecondRenew()))
                    .when(new RenewSession(SESSION, 60), at(T0 + 35_500))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void anOutOfOrderRenewNeverChargesLessOrShrinksTheDeadline() {
            fixture.given(events(afterSecondRenew()))
                    .when(new RenewSession(SESSION, 60), at(T0 + 20_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(65, 95));
        }

        @Test
        void grantedPlaytimeKeepsTheGrantPriceAndNewPlaytimeTakesTheNewOne() {
            prices.price(QUEUE, T0 + 10_000, 120);
            Object[] afterPriceRise = concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100),
                    charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65), renew().at(T0 + 35_500).lastDeadline(60).t0(T0).price(120).billed(35).granted(80).deadline(80).balance(65).limited());

            fixture.given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new RenewSession(SESSION, 60), at(T0 + 35_500))
                    .expectEvents(events(charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65), renew().at(T0 + 35_500).lastDeadline(60).t0(T0).price(120).billed(35).granted(80).deadline(80).balance(65).limited()));
            fixture.given(events(afterPriceRise))
                    .when(new RenewSession(SESSION, 80), at(T0 + 70_000))
                    .expectEvents(events(charge().at(T0 + 70_000).price(60).seconds(25).billed(60).amount(25).balance(40), charge().at(T0 + 70_000).price(120).seconds(10).billed(70).amount(20).balance(20),
                            renew().at(T0 + 70_000).lastDeadline(80).t0(T0).price(120).billed(70).granted(80).deadline(80).balance(20).limited()));
            fixture.given(events(concat(afterPriceRise, charge().at(T0 + 70_000).price(60).seconds(25).billed(60).amount(25).balance(40),
                            charge().at(T0 + 70_000).price(120).seconds(10).billed(70).amount(20).balance(20), renew().at(T0 + 70_000).lastDeadline(80).t0(T0).price(120).billed(70).granted(80).deadline(80).balance(20).limited())))
                    .when(new RenewSession(SESSION, 80), at(T0 + 81_000))
                    .expectEvents(events(charge().at(T0 + 81_000).price(120).seconds(10).billed(80).amount(20).balance(0), renew().at(T0 + 81_000).lastDeadline(80).t0(T0).price(120).billed(80).granted(80).deadline(80).balance(0).limited(),
                            end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 81_000).billed(80).charged(100).deadline(80).balance(0)));
        }

        @Test
        void stopChargesThePlayedSeconds() {
            fixture.given(events(afterSecondRenew()))
                    .when(new StopSession(SESSION), at(T0 + 50_200))
                    .expectEvents(events(charge().at(T0 + 50_200).seconds(15).billed(50).amount(15).balance(50),
                            end(SessionEndReason.STOPPED).at(T0 + 50_200).billed(50).charged(50).deadline(95).balance(50)))
                    .expectResultMessagePayload(answered(50));
        }

        @Test
        void stopNeverChargesPastTheDeadline() {
            // Played 120 s by the stop, granted 95: the session expires at t0 + 95 s + 30 s, after the stop.
            fixture.given(events(afterSecondRenew()))
                    .when(new StopSession(SESSION), at(T0 + 120_000))
                    .expectEvents(events(charge().at(T0 + 120_000).seconds(60).billed(95).amount(60).balance(5),
                            end(SessionEndReason.STOPPED).at(T0 + 120_000).billed(95).charged(95).deadline(95).balance(5)));
        }

        /**
         * A stop received after the session expired (t0 + 95 s + 30 s) ends it as the expiry scan would have, timed
         * out at its expiry with nothing charged, whichever of the two is decided first: the stop charged the whole
         * granted cycle when it came first, nothing when the scan did.
         */
        @Test
        void aStopReceivedAfterTheSessionExpiredEndsItTimedOutAtItsExpiryChargingNothing() {
            fixture.given(events(afterSecondRenew()))
                    .when(new StopSession(SESSION), at(T0 + 150_000))
                    .expectEvents(events(end(SessionEndReason.TIMED_OUT).at(T0 + 125_000).billed(35).charged(35).deadline(95).balance(65)))
                    .expectResultMessagePayload(answered(65));
            fixture.given(events(concat(afterSecondRenew(),
                            end(SessionEndReason.TIMED_OUT).at(T0 + 125_000).billed(35).charged(35).deadline(95).balance(65))))
                    .when(new StopSession(SESSION), at(T0 + 150_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(65));
        }

        @Test
        void stopBeforeTheFirstRenewChargesNothing() {
            fixture.given(events(startedWith100()))
                    .when(new StopSession(SESSION), at(START + 10_000))
                    .expectEvents(events(end(SessionEndReason.STOPPED).at(START + 10_000).charged(0).deadline(0).balance(100)));
        }

        @Test
        void aSecondStopChangesNothing() {
            fixture.given(events(concat(afterSecondRenew(), charge().at(T0 + 50_200).seconds(15).billed(50).amount(15).balance(50),
                            end(SessionEndReason.STOPPED).at(T0 + 50_200).billed(50).charged(50).deadline(95).balance(50))))
                    .when(new StopSession(SESSION), at(T0 + 50_200))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(50));
        }

        @Test
        void aStoppedSessionIsNotRenewed() {
            fixture.given(events(concat(afterSecondRenew(), end(SessionEndReason.STOPPED).at(T0 + 40_000).billed(35).charged(35).deadline(95).balance(65))))
                    .when(new RenewSession(SESSION, 95), at(T0 + 66_000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionNotBoundToTheUserIsNotRenewed() {
            fixture.given(events(afterSecondRenew()))
                    .when(new RenewSession("someoneElses", 0), at(T0 + 40_000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionThatDidNotStartIsNotRenewed() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new RenewSession(SESSION, 0), at(T0))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void grantedPlaytimeIsReservedAgainstRefunds() {
            fixture.given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new Refund(50, "refund-1", "goodwill"), at(T0 + 1000, FINANCE))
                    .expectException(refused(LedgerError.BALANCE_WOULD_BE_NEGATIVE));
            fixture.given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new Refund(40, "refund-1", "goodwill"), at(T0 + 1000, FINANCE))
                    .expectEvents(events(new FundsRefunded(USER, "refund-1", money(40), "goodwill", money(60), T0 + 1000, FINANCE)));
        }

        @Test
        void runningSessionsFinishWhenBillingIsSwitchedOff() {
            fixture(BillingMode.NONE).given(events(concat(startedWith100(), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100))))
                    .when(new RenewSession(SESSION, 60), at(T0 + 35_500))
                    .expectEvents(events(charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65), renew().at(T0 + 35_500).lastDeadline(60).t0(T0).billed(35).granted(95).deadline(95).balance(65)));
        }
    }

    /** Over-bill, C = 60, 1 per second, balance 1000: the timeline of docs/billing.md. */
    @Nested
    class OverBill {

        private static final long START = T + 5000;
        private static final long T0 = START + 4200;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.OVER);

        private Object[] startedWith(long deposit) {
            return new Object[]{opened(), deposited(deposit, "pay-1", deposit), authorized(T),
                    started(BillingMode.OVER, START), charge().at(START).seconds(30).billed(30).amount(30).balance(deposit - 30)};
        }

        @Test
        void firstRenewChargesFromTheStartUpToNowPlusOneCycle() {
            fixture.given(events(startedWith(1000)))
                    .when(new RenewSession(SESSION, 0), at(T0))
                    .expectEvents(events(charge().at(T0).seconds(35).billed(65).amount(35).balance(935), renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(935)))
                    .expectResultMessagePayload(answered(935, 60));
        }

        @Test
        void laterRenewsChargeUpToNowPlusOneCycleAndTheDeadlineIsTheEndOfTheChargedTime() {
            fixture.given(events(concat(startedWith(1000), charge().at(T0).seconds(35).billed(65).amount(35).balance(935), renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(935))))
                    .when(new RenewSession(SESSION, 60), at(START + 35_200))
                    .expectEvents(events(charge().at(START + 35_200).seconds(31).billed(96).amount(31).balance(904),
                            renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(96).granted(96).deadline(91).balance(904)))
                    .expectResultMessagePayload(answered(904, 91));
        }

        @Test
        void stopChargesNothingMore() {
            fixture.given(events(concat(startedWith(1000), charge().at(T0).seconds(35).billed(65).amount(35).balance(935), renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(935),
                            charge().at(START + 35_200).seconds(31).billed(96).amount(31).balance(904), renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(96).granted(96).deadline(91).balance(904))))
                    .when(new StopSession(SESSION), at(START + 54_200))
                    .expectEvents(events(end(SessionEndReason.STOPPED).at(START + 54_200).billed(96).charged(96).deadline(91).balance(904)));
        }

        @Test
        void theDeadlineStopsAtWhatTheBalancePaysAndTheSessionEndsWhenThePaidTimeDoes() {
            Object[] afterFirstRenew = concat(startedWith(70), charge().at(T0).seconds(35).billed(65).amount(35).balance(5),
                    renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(5));
            fixture.given(events(afterFirstRenew))
                    .when(new RenewSession(SESSION, 60), at(START + 35_200))
                    .expectEvents(events(charge().at(START + 35_200).seconds(5).billed(70).amount(5).balance(0), renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(70).granted(70).deadline(65).balance(0).limited()));
            fixture.given(events(concat(afterFirstRenew, charge().at(START + 35_200).seconds(5).billed(70).amount(5).balance(0),
                            renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(70).granted(70).deadline(65).balance(0).limited())))
                    .when(new RenewSession(SESSION, 65), at(START + 40_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(0, 65));
            fixture.given(events(concat(afterFirstRenew, charge().at(START + 35_200).seconds(5).billed(70).amount(5).balance(0),
                            renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(70).granted(70).deadline(65).balance(0).limited())))
                    .when(new ExpireSession(USER, SESSION, T0 + 65_000))
                    .expectEvents(events(end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 65_000).billed(70).charged(70).deadline(65).balance(0)));
        }

        /**
         * A renew received before the latest one (an operator's retry of a parked renew, two gateways out of order)
         * wants less than the latest already granted, so on its own it is not limited: it used to store the session
         * as unlimited, which then timed out 30 s after its paid time instead of ending at it.
         */
        @Test
        void anOlderRenewNeverLiftsTheLimitALaterOneSet() {
            Object[] limited = concat(startedWith(70), charge().at(T0).seconds(35).billed(65).amount(35).balance(5),
                    renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(5),
                    charge().at(START + 35_200).seconds(5).billed(70).amount(5).balance(0),
                    renew().at(START + 35_200).lastDeadline(60).t0(T0).billed(70).granted(70).deadline(65).balance(0)
                            .limited());
            // Received 9 s after the start: it wants 9 + 60 = 69 s, which the 70 granted since cover.
            fixture.given(events(limited))
                    .when(new RenewSession(SESSION, 60), at(START + 9_000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(0, 65));
        }

        @Test
        void aRetriedRenewIsNeverChargedTwice() {
            fixture.given(events(concat(startedWith(1000), charge().at(T0).seconds(35).billed(65).amount(35).balance(935), renew().at(T0).t0(T0).billed(65).granted(65).deadline(60).balance(935))))
                    .when(new RenewSession(SESSION, 0), at(T0))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(935, 60));
        }
    }

    @Nested
    class CloudGameAdmission {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        @Test
        void anAuthorizedSessionWhoseBalancePaysACycleIsAdmittedAndNothingIsStored() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new AdmitCloudGame(SESSION), at(T + 3000))
                    .expectNoEvents()
                    .expectResultMessagePayload(answered(100));
        }

        @Test
        void aBrokePlayerIsNotAdmitted() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T),
                            new FundsRefunded(USER, "refund-1", money(50), "goodwill", money(50), T + 1000, FINANCE)))
                    .when(new AdmitCloudGame(SESSION), at(T + 3000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }

        @Test
        void aSessionThatIsNotTheUsersOrHasEndedIsNotAdmitted() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new AdmitCloudGame("someoneElses"), at(T + 3000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T),
                            end(SessionEndReason.STOPPED).at(T + 2000).charged(0).deadline(0).balance(100)))
                    .when(new AdmitCloudGame(SESSION), at(T + 3000))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aSessionPastItsExpiryIsNotAdmittedThoughTheScanHasNotEndedIt() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new AdmitCloudGame(SESSION), at(T + AUTHORIZATION_TIMEOUT))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aBillingSessionIsAdmittedUntilItsPaidPlaytimeIsOver() {
            long t0 = T + 8000;
            Object[] limited = {opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, T + 5000), renew().at(t0).t0(t0).granted(60).deadline(60).balance(100),
                    charge().at(t0 + 70_000).seconds(70).billed(70).amount(70).balance(30), renew().at(t0 + 70_000).lastDeadline(95).t0(t0).billed(70).granted(100).deadline(100).balance(30).limited()};
            fixture.given(events(limited))
                    .when(new AdmitCloudGame(SESSION), at(t0 + 99_000))
                    .expectResultMessagePayload(answered(30));
            fixture.given(events(limited))
                    .when(new AdmitCloudGame(SESSION), at(t0 + 100_000))
                    .expectException(refused(LedgerError.INSUFFICIENT_BALANCE));
        }
    }

    @Nested
    class EndedSessionsKept {

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        /** {@code count} sessions authorized and stopped one after the other, all claimed in the registry. */
        private Object[] endedSessions(int count) {
            List<Object> events = new ArrayList<>(List.of(opened(), deposited(100, "pay-1", 100)));
            for (int i = 0; i < count; i++) {
                SessionAuthorized authorized = new SessionAuthorized(USER, "s" + i, QUEUE, PRICE, T + i * 1000L,
                        T + i * 1000L + AUTHORIZATION_TIMEOUT);
                registry.record(authorized);
                events.add(authorized);
                events.add(new SessionEnded(USER, "s" + i, QUEUE, SessionEndReason.STOPPED, T + i * 1000L + 500, seconds(0), money(0), seconds(0), money(100)));
            }
            return events.toArray();
        }

        @Test
        void theOldestEndedSessionsLeaveTheAccountButAreStillRecognised() {
            int count = SessionBook.ENDED_SESSIONS_KEPT + 1;
            long later = T + count * 1000L;
            fixture.given(events(endedSessions(count)))
                    .when(new StopSession("s0"), at(later))
                    .expectNoEvents()
                    .expectResultMessagePayload(balance(100))
                    .expectState(account -> assertThat(account).extracting("account.sessions.byId")
                            .asInstanceOf(InstanceOfAssertFactories.MAP)
                            .hasSize(SessionBook.ENDED_SESSIONS_KEPT).doesNotContainKey("s0").containsKey("s1"));
            fixture.given(events(endedSessions(count)))
                    .when(new AuthorizeSession("s0", QUEUE), at(later))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
            fixture.given(events(endedSessions(count)))
                    .when(new RenewSession("s0", 60), at(later))
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }
    }

    @Nested
    class Expiry {

        private static final long T0 = T + 8000;

        private final AggregateTestFixture<UserAccount> fixture = fixture(BillingMode.UNDER);

        @Test
        void anAuthorizedSessionThatNeverStartsTimesOut() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new ExpireSession(USER, SESSION, T + AUTHORIZATION_TIMEOUT))
                    .expectEvents(events(end(SessionEndReason.TIMED_OUT).at(T + AUTHORIZATION_TIMEOUT).charged(0).deadline(0).balance(100)));
        }

        @Test
        void aSessionIsNotExpiredBeforeItIsDue() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(100)))
                    .when(new ExpireSession(USER, SESSION, T0 + 89_999))
                    .expectNoEvents();
        }

        @Test
        void aSessionWithoutRenewForDeadlinePlusThirtySecondsTimesOutWithItsFinalBilledTime() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(100), charge().at(T0 + 35_500).seconds(35).billed(35).amount(35).balance(65),
                            renew().at(T0 + 35_500).lastDeadline(60).t0(T0).billed(35).granted(95).deadline(95).balance(65)))
                    .when(new ExpireSession(USER, SESSION, T0 + 200_000))
                    .expectEvents(events(end(SessionEndReason.TIMED_OUT).at(T0 + 125_000).billed(35).charged(35).deadline(95).balance(65)));
        }

        @Test
        void aBalanceLimitedSessionEndsAsExhaustedWhenItsGrantedPlaytimeEndsAndChargesNothingMore() {
            Object[] limited = {opened(), deposited(100, "pay-1", 100), authorized(T),
                    started(BillingMode.UNDER, T + 5000), renew().at(T0).t0(T0).granted(60).deadline(60).balance(100),
                    charge().at(T0 + 50_000).seconds(50).billed(50).amount(50).balance(50), renew().at(T0 + 50_000).lastDeadline(60).t0(T0).billed(50).granted(100).deadline(100).balance(50).limited()};
            fixture.given(events(limited))
                    .when(new ExpireSession(USER, SESSION, T0 + 99_999))
                    .expectNoEvents();
            fixture.given(events(limited))
                    .when(new ExpireSession(USER, SESSION, T0 + 100_000))
                    .expectEvents(events(end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 100_000).billed(50).charged(50).deadline(100).balance(50)));
        }

        @Test
        void aDepositAndARenewBeforeThePaidTimeEndsLiftTheLimit() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(100), charge().at(T0 + 50_000).seconds(50).billed(50).amount(50).balance(50),
                            renew().at(T0 + 50_000).lastDeadline(60).t0(T0).billed(50).granted(100).deadline(100).balance(50).limited(), deposited(500, "pay-2", 550)))
                    .when(new RenewSession(SESSION, 100), at(T0 + 80_000))
                    .expectEvents(events(charge().at(T0 + 80_000).seconds(30).billed(80).amount(30).balance(520), renew().at(T0 + 80_000).lastDeadline(100).t0(T0).billed(80).granted(140).deadline(140).balance(520)))
                    .expectResultMessagePayload(answered(520, 140));
        }

        @Test
        void aRenewAfterThePaidTimeEndsTheLimitedSessionThoughADepositCameSince() {
            // The scan has not yet ended the session at t0 + 100: the deposit pays for no more of it, the renew bills
            // what was played up to the paid end and ends it there, as the scan would have.
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000),
                            renew().at(T0).t0(T0).granted(60).deadline(60).balance(100), charge().at(T0 + 50_000).seconds(50).billed(50).amount(50).balance(50),
                            renew().at(T0 + 50_000).lastDeadline(60).t0(T0).billed(50).granted(100).deadline(100).balance(50).limited(), deposited(500, "pay-2", 550)))
                    .when(new RenewSession(SESSION, 100), at(T0 + 103_000))
                    .expectEvents(events(charge().at(T0 + 103_000).seconds(50).billed(100).amount(50).balance(500), renew().at(T0 + 103_000).lastDeadline(100).t0(T0).billed(100).granted(100).deadline(100).balance(500).limited(),
                            end(SessionEndReason.BALANCE_EXHAUSTED).at(T0 + 103_000).billed(100).charged(100).deadline(100).balance(500)))
                    .expectResultMessagePayload(answered(500, 100));
        }

        @Test
        void aStartReceivedAfterTheAuthorizationExpiredIsRefused() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T)))
                    .when(new StartSession(SESSION, null), at(T + AUTHORIZATION_TIMEOUT))
                    .expectNoEvents()
                    .expectException(refused(LedgerError.SESSION_NOT_FOUND));
        }

        @Test
        void aStartedSessionThatNeverRenewsTimesOutAfterTheFreeTimeAndTheRenewWait() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T), started(BillingMode.UNDER, T + 5000)))
                    .when(new ExpireSession(USER, SESSION, T + 65_000))
                    .expectEvents(events(end(SessionEndReason.TIMED_OUT).at(T + 65_000).charged(0).deadline(0).balance(100)));
        }

        @Test
        void anEndedSessionIsLeftAlone() {
            fixture.given(events(opened(), deposited(100, "pay-1", 100), authorized(T),
                            end(SessionEndReason.STOPPED).at(T + 1000).charged(0).deadline(0).balance(100)))
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
