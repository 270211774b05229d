package io.playbill.ledger.registry;

import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.RecordedMovement;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.values.Money;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * Records every session authorization and money movement in the {@link LedgerRegistry}'s tables. It runs in a
 * subscribing processor, i.e. inside the transaction that stores the event, and propagates its failures. The inserts
 * are plain inserts on purpose: if another instance claimed the same session id or reference a moment earlier, the
 * primary key refuses this one, the whole batch rolls back and is decided again, and then the account sees the claim
 * and refuses the request.
 */
@Component
@ProcessingGroup(LedgerRegistryProjection.PROCESSING_GROUP)
class LedgerRegistryProjection {

    static final String PROCESSING_GROUP = "ledger-registry";

    private final JdbcTemplate jdbc;

    LedgerRegistryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(SessionAuthorized event) {
        jdbc.update("insert into session_owner (session_id, user_id, authorized_at_millis) values (?, ?, ?)",
                event.session(), event.userId(), event.receivedAtMillis());
    }

    @EventHandler
    void on(FundsDeposited event) {
        record(event.reference(), event.userId(), RecordedMovement.Kind.DEPOSIT, event.amount(), null,
                event.balanceAfter(), event.receivedAtMillis());
    }

    @EventHandler
    void on(FundsRefunded event) {
        record(event.reference(), event.userId(), RecordedMovement.Kind.REFUND, event.amount(), event.reason(),
                event.balanceAfter(), event.receivedAtMillis());
    }

    @EventHandler
    void on(BalanceAdjusted event) {
        record(event.reference(), event.userId(), RecordedMovement.Kind.ADJUSTMENT, event.amount(), event.reason(),
                event.balanceAfter(), event.receivedAtMillis());
    }

    private void record(String reference, String userId, RecordedMovement.Kind kind, Money amount, String reason,
                        Money balanceAfter, long atMillis) {
        jdbc.update("insert into money_reference (reference, user_id, kind, amount, reason, balance_after,"
                        + " recorded_at_millis) values (?, ?, ?, ?, ?, ?, ?)",
                reference, userId, kind.name().toLowerCase(Locale.ROOT), amount.minorUnits(), reason, balanceAfter.minorUnits(),
                atMillis);
    }

    @Configuration
    static class Processing {

        @Bean
        ConfigurerModule ledgerRegistryProcessing() {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerSubscribingEventProcessor(PROCESSING_GROUP)
                    .registerListenerInvocationErrorHandler(PROCESSING_GROUP, c -> PropagatingErrorHandler.instance()));
        }
    }
}
