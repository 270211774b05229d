package io.playbill.ledger.expiry;

import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.service.transaction.TransactionScopedMap;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps one {@code session_expiry} row per active session with the time it times out, as its latest event says.
 * It runs in a subscribing processor, i.e. inside the transaction that stores the event, and propagates its
 * failures: an active session always has its row, an ended one never does.
 *
 * <p>Within a transaction (one intake batch) it only notes each session's latest expiry, or its end, and writes them
 * all just before the commit, in two statements whatever the batch's size: one round trip instead of one per event.
 * Nothing reads these rows inside the batch, and the scanner sees them when they commit, as before.
 */
@Component
@ProcessingGroup(SessionExpiryProjection.PROCESSING_GROUP)
class SessionExpiryProjection {

    static final String PROCESSING_GROUP = "session-expiry";
    /** Stands for "the session ended, drop its row" among the expiry times. */
    private static final long ENDED = Long.MIN_VALUE;

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
        note(new SessionKey(event.userId(), event.session()), ENDED);
    }

    private void expiresAt(String userId, String session, long expiresAtMillis) {
        note(new SessionKey(userId, session), expiresAtMillis);
    }

    /** The session's latest expiry ({@link #ENDED} once it ended): written now, or before the transaction commits. */
    private void note(SessionKey session, long expiresAtMillis) {
        TransactionScopedMap.<SessionKey, Long>of(this, this::write).ifPresentOrElse(
                latest -> latest.put(session, expiresAtMillis), () -> write(Map.of(session, expiresAtMillis)));
    }

    /** A new expiry also drops a scanner's claim on the old one, and its failed attempts: the session moved on. */
    private void write(Map<SessionKey, Long> latest) {
        Map<Boolean, List<Map.Entry<SessionKey, Long>>> endedOrNot = latest.entrySet().stream()
                .collect(Collectors.partitioningBy(entry -> entry.getValue() == ENDED));
        List<Map.Entry<SessionKey, Long>> ended = endedOrNot.get(true);
        List<Map.Entry<SessionKey, Long>> expiring = endedOrNot.get(false);
        if (!ended.isEmpty()) {
            jdbc.update(connection -> {
                PreparedStatement delete = connection.prepareStatement("delete from session_expiry"
                        + " where (user_id, session_id) in (select * from unnest(?::varchar[], ?::varchar[]))");
                delete.setArray(1, connection.createArrayOf("varchar", column(ended, SessionKey::userId)));
                delete.setArray(2, connection.createArrayOf("varchar", column(ended, SessionKey::session)));
                return delete;
            });
        }
        if (!expiring.isEmpty()) {
            jdbc.update(connection -> {
                PreparedStatement upsert = connection.prepareStatement("insert into session_expiry"
                        + " (user_id, session_id, expires_at_millis, claimed_until_millis)"
                        + " select user_id, session_id, expires_at_millis, 0"
                        + " from unnest(?::varchar[], ?::varchar[], ?::bigint[])"
                        + " as latest(user_id, session_id, expires_at_millis)"
                        + " on conflict (user_id, session_id) do update"
                        + " set expires_at_millis = excluded.expires_at_millis, claimed_until_millis = 0,"
                        + " attempts = 0, last_error = null, parked_at_millis = null");
                upsert.setArray(1, connection.createArrayOf("varchar", column(expiring, SessionKey::userId)));
                upsert.setArray(2, connection.createArrayOf("varchar", column(expiring, SessionKey::session)));
                upsert.setArray(3, connection.createArrayOf("bigint",
                        expiring.stream().map(Map.Entry::getValue).toArray()));
                return upsert;
            });
        }
    }

    private static Object[] column(List<Map.Entry<SessionKey, Long>> entries, Function<SessionKey, String> part) {
        return entries.stream().map(entry -> part.apply(entry.getKey())).toArray();
    }

    private record SessionKey(String userId, String session) {
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
