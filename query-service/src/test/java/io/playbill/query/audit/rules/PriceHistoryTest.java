package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.PriceSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request is priced at the price in force at its receive time among the prices its batch could read: one stored
 * about when the request was decided may not have been, and the earlier price then is no mismatch (billing.md,
 * "Prices"). One stored well before is always seen.
 */
class PriceHistoryTest {

    private static final Instant T = Instant.parse("2031-02-03T10:00:00Z");

    @Test
    void thePriceInForceIsAlwaysRight() {
        PriceHistory prices = history(T.plusSeconds(1));

        assertThat(prices.couldHaveApplied("standard", at(15), T.plusSeconds(20), 120)).isTrue();
        assertThat(prices.couldHaveApplied("standard", at(5), T.plusSeconds(20), 100)).isTrue();
    }

    @Test
    void theEarlierPriceIsRightForARequestDecidedBeforeTheNewOneWasStored() {
        // Effective from T + 10 s (its request's receive time), stored only at T + 40 s: the admin's partition lagged.
        PriceHistory prices = history(T.plusSeconds(40));

        assertThat(prices.couldHaveApplied("standard", at(15), T.plusSeconds(16), 100)).isTrue();
        assertThat(prices.couldHaveApplied("standard", at(15), T.plusSeconds(42), 100))
                .as("stored less than the margin before: may not have been read yet").isTrue();
        assertThat(prices.couldHaveApplied("standard", at(15), T.plusSeconds(46), 100))
                .as("stored more than the margin before the request's decision: it was read").isFalse();
        assertThat(prices.couldHaveApplied("standard", at(15), T.plusSeconds(16), 90)).as("no price of the queue")
                .isFalse();
    }

    @Test
    void aPriceWithoutAStoreTimeIsAlwaysSeen() {
        PriceHistory prices = new PriceHistory();
        prices.add(new PriceSet("standard", 100, T.toEpochMilli(), "admin", null));
        prices.add(new PriceSet("standard", 120, at(10), "admin", null));

        assertThat(prices.couldHaveApplied("standard", at(15), T.minusSeconds(3600), 100)).isFalse();
        assertThat(prices.couldHaveApplied("other", at(15), T, 100)).isFalse();
    }

    /** 100 per minute from T (stored then), 120 from T + 10 s, stored at {@code newStoredAt}. */
    private static PriceHistory history(Instant newStoredAt) {
        PriceHistory prices = new PriceHistory();
        prices.add(new PriceSet("standard", 100, T.toEpochMilli(), "admin", null), T);
        prices.add(new PriceSet("standard", 120, at(10), "admin", null), newStoredAt);
        return prices;
    }

    private static long at(long seconds) {
        return T.plusSeconds(seconds).toEpochMilli();
    }
}
