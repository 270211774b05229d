package io.playbill.ledger.expiry;

import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps one {@code session_expiry} row per active session with the time it times out, as its latest event says.
 * It runs in a subscribing processor, i.e. inside the transaction that stores the event, and propagates its
 * failures: an active session always has its row, an ended one never does.
 */
@Component
@ProcessingGroup(SessionExpiryProjection.PROCESSING_GROUP)
class SessionExpiryProjection {

    static final String PROCESSING_GROUP = "session-expiry";

    private final JdbcTemplate jdbc;

    SessionExpiryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(SessionAuthorized event) {
        expiresAt(event.userId(), event.session(), event.expiresAtMillis());
    }

    @EventHandler
    void on(SessionStarted event) {
        expiresAt(event.userId(), event.session(), event.expiresAtMillis());
    }

    @EventHandler
    void on(SessionRenewed event) {
        expiresAt(event.userId(), event.session(), event.expiresAtMillis());
    }

    @EventHandler
    void on(SessionEnded event) {
        jdbc.update("delete from session_expiry where user_id = ? and session_id = ?", event.userId(),
                event.session());
    }

    /** A new expiry also drops a scanner's claim on the old one, and its failed attempts: the session moved on. */
    private void expiresAt(String userId, String session, long expiresAtMillis) {
        jdbc.update("insert into session_expiry (user_id, session_id, expires_at_millis, claimed_until_millis)"
                        + " values (?, ?, ?, 0) on conflict (user_id, session_id) do update"
                        + " set expires_at_millis = excluded.expires_at_millis, claimed_until_millis = 0,"
                        + " attempts = 0, last_error = null, parked_at_millis = null",
                userId, session, expiresAtMillis);
    }

    @Configuration
    static class Processing {

        @Bean
        ConfigurerModule sessionExpiryProcessing() {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerSubscribingEventProcessor(PROCESSING_GROUP)
                    .registerListenerInvocationErrorHandler(PROCESSING_GROUP, c -> PropagatingErrorHandler.instance()));
        }
    }
}
