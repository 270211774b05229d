package io.playbill.ledger.pricing;

import io.playbill.ledger.account.LedgerRefusal;
import io.playbill.ledger.api.events.PriceSet;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

/** Price changes: a history of events, idempotent, never rewritten by a late request. */
class PriceListTest {

    private static final long T = 1_700_000_000_000L;

    private final AggregateTestFixture<PriceList> fixture = new AggregateTestFixture<>(PriceList.class);

    @Test
    void aPriceTakesEffectAtTheRequestsReceiveTime() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "standard", 60, "admin", T))
                .expectEvents(new PriceSet("standard", 60, T, "admin"));
    }

    @Test
    void aNewPriceIsAnotherEventOfTheHistory() {
        fixture.given(new PriceSet("standard", 60, T, "admin"))
                .when(new SetQueuePrice(PriceList.ID, "standard", 90, "admin", T + 1000))
                .expectEvents(new PriceSet("standard", 90, T + 1000, "admin"));
    }

    @Test
    void theSameChangeTwiceIsARetry() {
        fixture.given(new PriceSet("standard", 60, T, "admin"))
                .when(new SetQueuePrice(PriceList.ID, "standard", 60, "admin", T))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aChangeOlderThanTheLatestIsAlreadySuperseded() {
        fixture.given(new PriceSet("standard", 60, T, "admin"))
                .when(new SetQueuePrice(PriceList.ID, "standard", 50, "admin", T - 1000))
                .expectNoEvents();
    }

    @Test
    void queuesAreIndependent() {
        fixture.given(new PriceSet("standard", 60, T, "admin"))
                .when(new SetQueuePrice(PriceList.ID, "gold", 120, "admin", T - 1000))
                .expectEvents(new PriceSet("gold", 120, T - 1000, "admin"));
    }

    @Test
    void aPriceIsNeverNegative() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "standard", -1, "admin", T))
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aQueueHasAName() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "", 60, "admin", T))
                .expectException(LedgerRefusal.class);
    }
}
