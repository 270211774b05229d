package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation.SetPrice;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Price changes: a history of events, idempotent, never rewritten by a late request. */
class PriceListTest {

    private static final Actor ADMIN = new Actor("admin", List.of("admin"));

    private static final long T = 1_700_000_000_000L;

    private final FixtureConfiguration<PriceList> fixture = new AggregateTestFixture<>(PriceList.class)
            .registerCommandTargetResolver(PriceList.TARGET);

    @Test
    void aPriceTakesEffectAtTheRequestsReceiveTime() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("standard", 60), AccountEvents.request("admin", T, ADMIN))
                .expectEvents(new PriceSet("standard", 60, T, "admin", ADMIN));
    }

    /** Only an admin sets prices (finance may move money, not prices); the ledger believes no producer. */
    @Test
    void aPriceChangeOfAnyoneButAnAdminIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("standard", 1), AccountEvents.request("fiona", T, new Actor("fiona",
                        List.of("finance"))))
                .expectNoEvents()
                .expectException(Refusals.refused(LedgerError.INVALID_REQUEST));
        fixture.givenNoPriorActivity()
                .when(new SetPrice("standard", 1), AccountEvents.request("mallory", T, Actor.player("mallory")))
                .expectNoEvents()
                .expectException(Refusals.refused(LedgerError.INVALID_REQUEST));
    }

    @Test
    void aNewPriceIsAnotherEventOfTheHistory() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetPrice("standard", 90), AccountEvents.request("admin", T + 1000, ADMIN))
                .expectEvents(new PriceSet("standard", 90, T + 1000, "admin", ADMIN));
    }

    @Test
    void theSameChangeTwiceIsARetry() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetPrice("standard", 60), AccountEvents.request("admin", T, ADMIN))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aChangeReceivedBeforeTheLatestIsRefusedAsSupersededAndStoresNothing() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetPrice("standard", 50), AccountEvents.request("admin", T - 1000, ADMIN))
                .expectNoEvents()
                .expectException(Refusals.refused(LedgerError.PRICE_SUPERSEDED));
    }

    /** A batch delivered again after a crash: the change it holds was stored, then another after it. */
    @Test
    void aChangeDeliveredAgainAfterALaterOneIsARetryNotARefusal() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN),
                        new PriceSet("standard", 90, T + 1000, "admin", ADMIN))
                .when(new SetPrice("standard", 60), AccountEvents.request("admin", T, ADMIN))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    /** Two admins in the same millisecond: the change decided first stays in force, the other is told so. */
    @Test
    void anotherPriceReceivedAtTheSameTimeAsTheLatestIsRefusedAsSuperseded() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetPrice("standard", 70), AccountEvents.request("root", T, new Actor("root",
                        List.of("admin"))))
                .expectNoEvents()
                .expectException(Refusals.refused(LedgerError.PRICE_SUPERSEDED));
    }

    @Test
    void queuesAreIndependent() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetPrice("gold", 120), AccountEvents.request("admin", T - 1000, ADMIN))
                .expectEvents(new PriceSet("gold", 120, T - 1000, "admin", ADMIN));
    }

    @Test
    void aPriceIsNeverNegative() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("standard", -1), AccountEvents.request("admin", T, ADMIN))
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aQueueHasAName() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("", 60), AccountEvents.request("admin", T, ADMIN))
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aQueueNameWithAControlCharacterIsRefusedAndNothingIsStored() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("stan\u0000dard", 60), AccountEvents.request("admin", T, ADMIN))
                .expectNoEvents()
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aPriceChangeMustNameWhoAsked() {
        fixture.givenNoPriorActivity()
                .when(new SetPrice("standard", 60), AccountEvents.request("admin", T, null))
                .expectNoEvents()
                .expectException(LedgerRefusal.class);
    }
}
