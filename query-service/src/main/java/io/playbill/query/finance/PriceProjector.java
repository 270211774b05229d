package io.playbill.query.finance;

import io.playbill.ledger.api.events.PriceSet;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/**
 * The price history: one row per {@code PriceSet}, with the time it took effect (the gateway's receive time of the
 * admin's request) and who set it. Rows are keyed by event id, so a redelivered event is written once: it keeps no
 * sequence, so it needs no read model; the {@link FinanceProjector} writes it in the same batch.
 */
final class PriceProjector {

    private final JdbcTemplate jdbc;

    PriceProjector(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void apply(ProjectionTables tables, List<LedgerEvent> events) {
        List<LedgerEvent> prices = events.stream().filter(event -> event.payload() instanceof PriceSet).toList();
        jdbc.batchUpdate("insert into " + tables.of("price_change") + " (event_id, queue, price_per_minute,"
                + " effective_from, set_by, seq) values (?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing",
                prices, prices.size(), (ps, event) -> {
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
