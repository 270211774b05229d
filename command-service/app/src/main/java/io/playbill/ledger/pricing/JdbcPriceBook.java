package io.playbill.ledger.pricing;

import io.playbill.ledger.domain.PriceBook;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the {@code queue_price} table, which {@link PriceBookProjection} keeps in step with the {@link PriceList}
 * events. Every lookup goes to the database, so a price set through another command-service instance is seen as
 * soon as its transaction committed, and nothing is lost on restart.
 */
@Component
class JdbcPriceBook implements PriceBook {

    private final JdbcTemplate jdbc;

    JdbcPriceBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong pricePerMinute(String queue, long atMillis) {
        List<Long> prices = jdbc.queryForList("select price_per_minute from queue_price"
                + " where queue = ? and effective_from_millis <= ? order by effective_from_millis desc limit 1",
                Long.class, queue, atMillis);
        return prices.isEmpty() ? OptionalLong.empty() : OptionalLong.of(prices.get(0));
    }
}
