package io.playbill.query.finance;

import io.playbill.ledger.api.events.PriceSet;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/**
 * The price history: one row per {@code PriceSet}, with the time it took effect (the gateway's receive time of the
 * admin's request) and who set it. Rows are keyed by event id, so a redelivered event is written once.
 */
final class PriceProjector implements Projector {

    private final JdbcTemplate jdbc;
    private final String insert;

    PriceProjector(JdbcTemplate jdbc, ProjectionTables tables) {
        this.jdbc = jdbc;
        insert = "insert into " + tables.of("price_change") + " (event_id, queue, price_per_minute, effective_from,"
                + " set_by, seq) values (?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing";
    }

    @Override
    public void apply(List<LedgerEvent> events) {
        List<LedgerEvent> prices = events.stream().filter(event -> event.payload() instanceof PriceSet).toList();
        jdbc.batchUpdate(insert, prices, prices.size(), (ps, event) -> {
            PriceSet price = (PriceSet) event.payload();
            ps.setString(1, event.eventId());
            ps.setString(2, price.queue());
            ps.setLong(3, price.pricePerMinute());
            Jdbc.setInstant(ps, 4, Instant.ofEpochMilli(price.effectiveFromMillis()));
            ps.setString(5, price.setBy());
            ps.setLong(6, event.sequence());
        });
    }
}
