package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.PriceSet;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Every queue's prices from the {@code PriceSet} events: the price in force at T is the latest set at or before T. */
public final class PriceHistory {

    private final Map<String, NavigableMap<Long, Long>> byQueue = new HashMap<>();

    public void add(PriceSet price) {
        byQueue.computeIfAbsent(price.queue(), q -> new TreeMap<>()).put(price.effectiveFromMillis(),
                price.pricePerMinute());
    }

    public OptionalLong at(String queue, long atMillis) {
        NavigableMap<Long, Long> prices = byQueue.get(queue);
        Map.Entry<Long, Long> inForce = prices == null ? null : prices.floorEntry(atMillis);
        return inForce == null ? OptionalLong.empty() : OptionalLong.of(inForce.getValue());
    }
}
