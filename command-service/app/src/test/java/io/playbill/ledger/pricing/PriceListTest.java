package io.playbill.ledger.pricing;

import io.playbill.ledger.account.LedgerRefusal;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.PriceSet;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Price changes: a history of events, idempotent, never rewritten by a late request. */
class PriceListTest {

    private static final Actor ADMIN = new Actor("admin", List.of("admin"));

    private static final long T = 1_700_000_000_000L;

    private final AggregateTestFixture<PriceList> fixture = new AggregateTestFixture<>(PriceList.class);

    @Test
    void aPriceTakesEffectAtTheRequestsReceiveTime() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "standard", 60, "admin", T, ADMIN))
                .expectEvents(new PriceSet("standard", 60, T, "admin", ADMIN));
    }

    @Test
    void aNewPriceIsAnotherEventOfTheHistory() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetQueuePrice(PriceList.ID, "standard", 90, "admin", T + 1000, ADMIN))
                .expectEvents(new PriceSet("standard", 90, T + 1000, "admin", ADMIN));
    }

    @Test
    void theSameChangeTwiceIsARetry() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetQueuePrice(PriceList.ID, "standard", 60, "admin", T, ADMIN))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aChangeOlderThanTheLatestIsAlreadySuperseded() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetQueuePrice(PriceList.ID, "standard", 50, "admin", T - 1000, ADMIN))
                .expectNoEvents();
    }

    @Test
    void queuesAreIndependent() {
        fixture.given(new PriceSet("standard", 60, T, "admin", ADMIN))
                .when(new SetQueuePrice(PriceList.ID, "gold", 120, "admin", T - 1000, ADMIN))
                .expectEvents(new PriceSet("gold", 120, T - 1000, "admin", ADMIN));
    }

    @Test
    void aPriceIsNeverNegative() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "standard", -1, "admin", T, ADMIN))
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aQueueHasAName() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "", 60, "admin", T, ADMIN))
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aQueueNameWithAControlCharacterIsRefusedAndNothingIsStored() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "stan\u0000dard", 60, "admin", T, ADMIN))
                .expectNoEvents()
                .expectException(LedgerRefusal.class);
    }

    @Test
    void aPriceChangeMustNameWhoAsked() {
        fixture.givenNoPriorActivity()
                .when(new SetQueuePrice(PriceList.ID, "standard", 60, "admin", T, null))
                .expectNoEvents()
                .expectException(LedgerRefusal.class);
    }
}
