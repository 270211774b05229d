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

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
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
    /** As long as the requests topic keeps a record: no delivery can come later. */
    static final Duration KEPT = Duration.ofDays(7);
    private static final int MAX_ID_LENGTH = 255;
    private static final int FORGET_BATCH = 10_000;

    private final JdbcTemplate jdbc;

    RefusedRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Whether a refusal of {@code request} is kept: the operations a change of the account could accept later, under
     * an id the table can hold (any other would fail its batch; such a request is decided again when delivered again).
     */
    static boolean kept(LedgerRequest request) {
        boolean stateDependent = request.operation() instanceof LedgerOperation.Deposit
                || request.operation() instanceof LedgerOperation.Refund
                || request.operation() instanceof LedgerOperation.Adjust
                || request.operation() instanceof LedgerOperation.AuthorizeSession
                || request.operation() instanceof LedgerOperation.StartSession;
        String id = request.requestId();
        return stateDependent && id != null && id.length() <= MAX_ID_LENGTH && CleanText.isClean(id);
    }

    /**
     * A request of a batch whose refusal would be kept, with its record's value. Equal only to itself (a record's
     * array is compared by identity): one per record of the batch.
     */
    record Delivered(String requestId, byte[] value) {
    }

    /**
     * The refusals kept for these requests, by the request as given: only for the same id with the same content (two
     * records of one batch under one id are told apart by their content).
     */
    Map<Delivered, LedgerReply> earlier(List<Delivered> requests) {
        Map<Delivered, LedgerReply> found = new HashMap<>();
        if (requests.isEmpty()) {
            return found;
        }
        Map<Delivered, byte[]> hashes = new HashMap<>();
        requests.forEach(request -> hashes.put(request, sha256(request.value())));
        String[] ids = requests.stream().map(Delivered::requestId).distinct().toArray(String[]::new);
        jdbc.query("select request_id, request_hash, error_code, message from refused_request"
                + " where request_id = any(?)", rs -> {
            String requestId = rs.getString("request_id");
            byte[] hash = rs.getBytes("request_hash");
            LedgerError error = knownError(rs.getString("error_code"));
            // A code this build no longer has (kept by an older one): decided again, as before keeping refusals.
            if (error == null) {
                return;
            }
            String message = rs.getString("message");
            hashes.forEach((request, requestHash) -> {
                if (request.requestId().equals(requestId) && Arrays.equals(requestHash, hash)) {
                    found.put(request, LedgerReply.refused(requestId, error, message));
                }
            });
        }, (Object) ids);
        return found;
    }

    /** Keeps these refusals, in the caller's transaction (the batch's): kept exactly when the batch commits. */
    void keep(List<Refused> refusals) {
        if (refusals.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into refused_request (request_id, request_hash, error_code, message, refused_at)"
                + " values (?, ?, ?, ?, now()) on conflict (request_id, request_hash) do nothing", refusals,
                refusals.size(),
                (statement, refused) -> {
                    statement.setString(1, refused.request().requestId());
                    statement.setBytes(2, sha256(refused.request().value()));
                    statement.setString(3, refused.reply().errorCode().name());
                    String message = refused.reply().message();
                    // PostgreSQL text holds no NUL, which a message may echo from a request.
                    statement.setString(4, message == null ? null : message.replace("\u0000", ""));
                });
    }

    /** A request and the refusal it got. */
    record Refused(Delivered request, LedgerReply reply) {
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
