package io.playbill.ledger.pricing;

import io.playbill.ledger.axon.PriceList;
import io.playbill.ledger.domain.PriceBook;

import io.playbill.ledger.api.events.PriceSet;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes every {@link PriceSet} into {@code queue_price}. It runs in a subscribing processor, i.e. inside the
 * transaction that stores the event, and propagates its failures: the table and the price history can never
 * disagree.
 */
@Component
@ProcessingGroup(PriceBookProjection.PROCESSING_GROUP)
class PriceBookProjection {

    static final String PROCESSING_GROUP = "price-book";

    private final JdbcTemplate jdbc;
    private final JdbcPriceBook prices;

    PriceBookProjection(JdbcTemplate jdbc, JdbcPriceBook prices) {
        this.jdbc = jdbc;
        this.prices = prices;
    }

    @EventHandler
    void on(PriceSet event) {
        jdbc.update("insert into queue_price (queue, effective_from_millis, price_per_minute, set_by)"
                        + " values (?, ?, ?, ?) on conflict (queue, effective_from_millis)"
                        + " do update set price_per_minute = excluded.price_per_minute, set_by = excluded.set_by",
                event.queue(), event.effectiveFromMillis(), event.pricePerMinute(), event.setBy());
        // The batch's later requests must see this price, as they would with no batching.
        prices.forgetReadPrices();
    }

    @Configuration
    static class Processing {

        @Bean
        ConfigurerModule priceBookProcessing() {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerSubscribingEventProcessor(PROCESSING_GROUP)
                    .registerListenerInvocationErrorHandler(PROCESSING_GROUP, c -> PropagatingErrorHandler.instance()));
        }
    }
}
