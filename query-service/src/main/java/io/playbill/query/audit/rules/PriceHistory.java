package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.PriceSet;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Every queue's prices from the {@code PriceSet} events: the price in force at T is the latest set at or before T.
 * The ledger applies that price among the prices committed when a request's batch read them (docs/billing.md,
 * "Prices"), so a price stored about when a request was decided may not have been applied to it yet.
 */
public final class PriceHistory {

    /**
     * How long before a request's event a price may have been stored and still not read by the request's batch: its
     * commit, the batch's own length and the clocks of two ledger instances, with room to spare.
     */
    static final Duration UNSEEN_MARGIN = Duration.ofSeconds(5);

    /** @param storedAt when the ledger stored the price's event; null when unknown (always seen) */
    private record Price(long pricePerMinute, Instant storedAt) {
    }

    private final Map<String, NavigableMap<Long, Price>> byQueue = new HashMap<>();

    /** A price every request after its effective time saw. */
    public void add(PriceSet price) {
        add(price, null);
    }

    /** A price whose event the ledger stored at {@code storedAt}. */
    public void add(PriceSet price, Instant storedAt) {
        byQueue.computeIfAbsent(price.queue(), q -> new TreeMap<>()).put(price.effectiveFromMillis(),
                new Price(price.pricePerMinute(), storedAt));
    }

    public OptionalLong at(String queue, long atMillis) {
        NavigableMap<Long, Price> prices = byQueue.get(queue);
        Map.Entry<Long, Price> inForce = prices == null ? null : prices.floorEntry(atMillis);
        return inForce == null ? OptionalLong.empty() : OptionalLong.of(inForce.getValue().pricePerMinute());
    }

    /**
     * Whether {@code price} is what the ledger may have applied to a request received at {@code atMillis} whose event
     * it stored at {@code decidedAt}: the price in force then, or, while the prices set after it were stored too late
     * to be seen (less than {@link #UNSEEN_MARGIN} before {@code decidedAt}, or after it), an earlier one.
     */
    public boolean couldHaveApplied(String queue, long atMillis, Instant decidedAt, long price) {
        NavigableMap<Long, Price> prices = byQueue.get(queue);
        if (prices == null) {
            return false;
        }
        Instant surelySeenBefore = decidedAt.minus(UNSEEN_MARGIN);
        for (Price candidate : prices.headMap(atMillis, true).descendingMap().values()) {
            if (candidate.pricePerMinute() == price) {
                return true;
            }
            if (candidate.storedAt() == null || candidate.storedAt().isBefore(surelySeenBefore)) {
                return false;
            }
        }
        return false;
    }
}
