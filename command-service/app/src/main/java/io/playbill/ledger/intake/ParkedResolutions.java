package io.playbill.ledger.intake;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The {@code parked_resolution} table: the answer each operator's retry or skip got, by its request id. An operator's
 * request is carried out before its reply is acknowledged and its offset committed (decision 048), so it may be
 * delivered again after it took effect; it must then get its first answer, not "not found" for the item it resolved.
 * The answer is kept right after the resolution, on its own: only a crash between the two still loses it.
 */
@Component
class ParkedResolutions {

    private final JdbcTemplate jdbc;

    ParkedResolutions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The answer {@code requestId} got for this very resolution, if it was carried out before. */
    Optional<LedgerReply> answered(String requestId, String operator, String consumer, String item, String action) {
        return jdbc.query("select accepted, error_code, message from parked_resolution where request_id = ?"
                        + " and operator = ? and consumer = ? and item = ? and action = ?",
                (rs, i) -> new LedgerReply(requestId, rs.getBoolean("accepted"),
                        rs.getString("error_code") == null ? null : LedgerError.valueOf(rs.getString("error_code")),
                        rs.getString("message"), null, null, null),
                requestId, operator, consumer, item, action).stream().findFirst();
    }

    /** Keeps {@code reply}; nothing when this request was answered before. */
    void answer(String operator, String consumer, String item, String action, LedgerReply reply) {
        jdbc.update("insert into parked_resolution (request_id, operator, consumer, item, action, accepted, error_code,"
                        + " message, resolved_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (request_id) do nothing",
                reply.requestId(), operator, consumer, item, action, reply.accepted(),
                reply.errorCode() == null ? null : reply.errorCode().name(), reply.message());
    }
}
