package io.playbill.ledger.pricing;

import io.playbill.ledger.domain.PriceBook;

import io.playbill.service.transaction.TransactionScopedMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads the {@code queue_price} table, which {@link PriceBookProjection} keeps in step with the {@link PriceList}
 * events. A queue's history is read once per database transaction, i.e. once per intake batch, and kept for the rest
 * of it: a price set through another command-service instance is seen from the next batch after its transaction
 * committed, and nothing is lost on restart. A price set in the same transaction (an earlier request of the batch)
 * is seen at once: {@link #forgetReadPrices} drops what was read.
 */
@Component
class JdbcPriceBook implements PriceBook {

    private final JdbcTemplate jdbc;

    JdbcPriceBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong pricePerMinute(String queue, long atMillis) {
        Map.Entry<Long, Long> inForce = history(queue).floorEntry(atMillis);
        return inForce == null ? OptionalLong.empty() : OptionalLong.of(inForce.getValue());
    }

    /** Called when this transaction sets a price: its later lookups read the table again. */
    void forgetReadPrices() {
        readInThisTransaction().ifPresent(Map::clear);
    }

    /** The queue's prices by the time they take effect from. */
    private NavigableMap<Long, Long> history(String queue) {
        return readInThisTransaction()
                .map(read -> read.computeIfAbsent(queue, this::read))
                .orElseGet(() -> read(queue));
    }

    private NavigableMap<Long, Long> read(String queue) {
        NavigableMap<Long, Long> prices = new TreeMap<>();
        jdbc.query("select effective_from_millis, price_per_minute from queue_price where queue = ?",
                row -> {
                    prices.put(row.getLong(1), row.getLong(2));
                }, queue);
        return prices;
    }

    /** What this transaction has read so far; empty outside a transaction. */
    private Optional<Map<String, NavigableMap<Long, Long>>> readInThisTransaction() {
        return TransactionScopedMap.of(this);
    }
}
