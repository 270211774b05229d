package io.playbill.gateway.cloud.stop;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The durable audit trail of the stopper ({@code cloud_stop}): one row per ended ledger session it acted on. */
final class StopRecords {

    private final JdbcTemplate jdbc;

    StopRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean exists(String userId, String session) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM cloud_stop WHERE user_id = ? "
                + "AND session = ?)", Boolean.class, userId, session));
    }

    /** Records what was done; a row for the same session (a redelivered event) is kept as it was. */
    void record(StopRecord stop) {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, stopped_at, result, "
                        + "gs_request_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, session) DO NOTHING",
                stop.userId(), stop.session(), stop.reason(), at(stop.ledgerEventAt()), at(stop.stoppedAt()),
                stop.result(), stop.gsRequestId());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * @param reason        the ledger's reason, as on the wire ({@code balance_exhausted}, {@code timed_out})
     * @param ledgerEventAt when the ledger ended the session
     * @param stoppedAt     when the gateway acted on it
     * @param result        {@code stopped}, {@code skipped_stale}, {@code skipped_newer_game} or
     *                      {@code failed:<GS error code>}
     */
    record StopRecord(String userId, String session, String reason, Instant ledgerEventAt, Instant stoppedAt,
                      String result, String gsRequestId) {
    }
}
