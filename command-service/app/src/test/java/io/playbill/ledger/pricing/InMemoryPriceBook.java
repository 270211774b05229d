package io.playbill.ledger.pricing;

import io.playbill.ledger.domain.PriceBook;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/** A price book for tests: each queue's price history in memory. */
public class InMemoryPriceBook implements PriceBook {

    private final Map<String, NavigableMap<Long, Long>> historyByQueue = new HashMap<>();

    /** Sets {@code queue}'s price from {@code fromMillis} on. */
    public InMemoryPriceBook price(String queue, long fromMillis, long pricePerMinute) {
        historyByQueue.computeIfAbsent(queue, q -> new TreeMap<>()).put(fromMillis, pricePerMinute);
        return this;
    }

    @Override
    public OptionalLong pricePerMinute(String queue, long atMillis) {
        NavigableMap<Long, Long> history = historyByQueue.get(queue);
        Map.Entry<Long, Long> inForce = history == null ? null : history.floorEntry(atMillis);
        return inForce == null ? OptionalLong.empty() : OptionalLong.of(inForce.getValue());
    }
}
