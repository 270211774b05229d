package io.playbill.ledger.intake;

import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code refused_request} table: the first refusal of each request whose answer depends on the account's state
 * (decision 060).
 * The intake answers a batch before its offsets are committed (decision 048), so a batch may be delivered again (a
 * crash, a reply that could not be sent, a rebalance). Accepted requests are harmless to decide again (references,
 * cumulative charging, t0 never reset); a refusal is not: a refund refused for the balance, decided again after a
 * deposit, would be accepted, and money would move after its requester was told it did not. Renews are not kept: a
 * renew decided again charges by time like any renew, and keeping them would cost the hot path a statement.
 */
@Component
class RefusedRequests {

    private static final Logger log = LoggerFactory.getLogger(RefusedRequests.class);
    /** The requests topic's retention: a delivery later than that needs a group re-reading the topic (decision 060). */
    static final Duration KEPT = Duration.ofDays(7);
    private static final int MAX_ID_LENGTH = 255;
    private static final int FORGET_BATCH = 10_000;

    private final JdbcTemplate jdbc;

    RefusedRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The key a refusal of {@code request} (in {@code value}, its record's value) is kept under, or null when it is not
     * kept: only the operations a change of the account could accept later, under an id the table can hold (any other
     * would fail its batch; such a request is decided again when delivered again). The same id with other content is
     * another request: the key holds the content's SHA-256 too.
     */
    static Key keyOf(LedgerRequest request, byte[] value) {
        boolean stateDependent = request.operation() instanceof LedgerOperation.Deposit
                || request.operation() instanceof LedgerOperation.Refund
                || request.operation() instanceof LedgerOperation.Adjust
                || request.operation() instanceof LedgerOperation.AuthorizeSession
                || request.operation() instanceof LedgerOperation.StartSession;
        String id = request.requestId();
        if (!stateDependent || id == null || id.length() > MAX_ID_LENGTH || !CleanText.isClean(id)) {
            return null;
        }
        return new Key(id, ByteBuffer.wrap(sha256(value)));
    }

    /** A kept request: its id and the SHA-256 of its record's value (compared by content). */
    record Key(String requestId, ByteBuffer hash) {
    }

    /**
     * One batch's refusals: those kept before for its requests, read once, and those it decides, kept by
     * {@link Batch#save} in the batch's transaction (kept exactly when the batch commits). A record twice in one batch
     * gets the first one's refusal too.
     */
    Batch batch(Collection<Key> keys) {
        Map<Key, LedgerReply> known = new HashMap<>();
        if (!keys.isEmpty()) {
            String[] ids = keys.stream().map(Key::requestId).distinct().toArray(String[]::new);
            jdbc.query("select request_id, request_hash, error_code, message from refused_request"
                    + " where request_id = any(?)", rs -> {
                // A code this build no longer has (kept by an older one): decided again, as before keeping refusals.
                LedgerError error = knownError(rs.getString("error_code"));
                if (error != null) {
                    Key key = new Key(rs.getString("request_id"), ByteBuffer.wrap(rs.getBytes("request_hash")));
                    known.put(key, LedgerReply.refused(key.requestId(), error, rs.getString("message")));
                }
            }, (Object) ids);
        }
        return new Batch(known);
    }

    final class Batch {

        private final Map<Key, LedgerReply> known;
        private final Map<Key, LedgerReply> decided = new LinkedHashMap<>();

        private Batch(Map<Key, LedgerReply> known) {
            this.known = known;
        }

        /** The refusal {@code key}'s request got before, or null. */
        LedgerReply earlier(Key key) {
            return known.get(key);
        }

        /** {@code key}'s request was refused now. */
        void refused(Key key, LedgerReply reply) {
            if (known.putIfAbsent(key, reply) == null) {
                decided.put(key, reply);
            }
        }

        void save() {
            if (decided.isEmpty()) {
                return;
            }
            List<Map.Entry<Key, LedgerReply>> rows = List.copyOf(decided.entrySet());
            jdbc.batchUpdate("insert into refused_request (request_id, request_hash, error_code, message,"
                    + " refused_at) values (?, ?, ?, ?, now()) on conflict (request_id, request_hash) do nothing",
                    rows, rows.size(), (statement, row) -> {
                        statement.setString(1, row.getKey().requestId());
                        statement.setBytes(2, row.getKey().hash().array());
                        statement.setString(3, row.getValue().errorCode().name());
                        String message = row.getValue().message();
                        // PostgreSQL text holds no NUL, which a message may echo from a request.
                        statement.setString(4, message == null ? null : message.replace("\u0000", ""));
                    });
        }
    }

    /**
     * Forgets refusals older than the requests topic keeps a record, in bounded deletes until none is left, every ten
     * minutes (any instance; two at once share the work).
     */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT5M")
    void forgetOld() {
        long forgotten = 0;
        int deleted;
        do {
            deleted = jdbc.update("delete from refused_request where (request_id, request_hash) in (select request_id,"
                    + " request_hash from refused_request where refused_at < now() - make_interval(secs => ?)"
                    + " limit ? for update skip locked)", (double) KEPT.toSeconds(), FORGET_BATCH);
            forgotten += deleted;
        } while (deleted == FORGET_BATCH);
        if (forgotten > 0) {
            log.info("Forgot {} kept refusals older than {} days", forgotten, KEPT.toDays());
        }
    }

    private static LedgerError knownError(String code) {
        try {
            return LedgerError.valueOf(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
