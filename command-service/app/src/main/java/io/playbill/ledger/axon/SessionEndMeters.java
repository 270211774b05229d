package io.playbill.ledger.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code playbill.ledger.sessions.ended{reason}}: sessions ended, by why (stopped, balance_exhausted, timed_out); the
 * {@code balance_exhausted} series is the rate at which balances run out.
 *
 * <p>Counted exactly once per stored {@link SessionEnded}, on the instance that decided it: a subscribing processor
 * sees the event inside the transaction that stores it (an intake batch, or an expiry), and the count is taken only
 * once that transaction has committed. A batch that rolls back and is decided again counts once; replays of an
 * account's history (loading it) are not event handling and count nothing.
 */
@Component
@ProcessingGroup(SessionEndMeters.PROCESSING_GROUP)
class SessionEndMeters {

    static final String PROCESSING_GROUP = "session-end-meters";
    static final String METER = "playbill.ledger.sessions.ended";

    private final Map<SessionEndReason, Counter> ended = new EnumMap<>(SessionEndReason.class);

    SessionEndMeters(MeterRegistry meters) {
        for (SessionEndReason reason : SessionEndReason.values()) {
            ended.put(reason, Counter.builder(METER)
                    .description("Sessions the ledger ended, by reason; balance_exhausted: a balance ran out")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
    }

    @EventHandler
    void on(SessionEnded event) {
        Counter counter = ended.get(event.reason());
        if (counter == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counter.increment();
                }
            });
        } else {
            counter.increment();
        }
    }

    @Configuration
    static class Processing {

        @Bean
        ConfigurerModule sessionEndMetersProcessing() {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerSubscribingEventProcessor(PROCESSING_GROUP));
        }
    }
}
