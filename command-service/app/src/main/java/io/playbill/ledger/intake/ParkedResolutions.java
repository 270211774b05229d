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
 * The answer is kept in the transaction of the resolution (but a publisher's retry, which sends to Kafka): a
 * resolution whose answer could not be kept did not happen, and a delivery that finds an answer kept by a concurrent
 * one (a zombie consumer after a rebalance) rolls its own back and gets that answer.
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

    /**
     * Keeps {@code reply}, in the caller's transaction. When this request id was answered before (a concurrent
     * delivery, whose uncommitted answer this waits for), that answer instead: the caller must then roll back what it
     * did. A request id that answered another resolution is refused rather than left without its own answer.
     */
    Optional<LedgerReply> keep(String operator, String consumer, String item, String action, LedgerReply reply) {
        int kept = jdbc.update("insert into parked_resolution (request_id, operator, consumer, item, action, accepted,"
                        + " error_code, message, resolved_at) values (?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (request_id) do nothing",
                reply.requestId(), operator, consumer, item, action, reply.accepted(),
                reply.errorCode() == null ? null : reply.errorCode().name(), reply.message());
        if (kept == 1) {
            return Optional.empty();
        }
        return Optional.of(answered(reply.requestId(), operator, consumer, item, action).orElseGet(() ->
                LedgerReply.refused(reply.requestId(), LedgerError.INVALID_REQUEST,
                        "This request id already retried or skipped another parked item")));
    }
}
