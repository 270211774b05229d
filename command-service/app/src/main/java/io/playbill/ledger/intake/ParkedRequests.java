package io.playbill.ledger.intake;

import io.playbill.ledger.api.messages.CleanText;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;

/**
 * The {@code parked_request} table: requests the intake could not decide after its attempts, with the record as it
 * was on the topic. Each write commits on its own, whatever transaction the caller is in, but an operator's retry or
 * skip: it commits with the operator's answer (and a retry's decision, in the transaction that {@link #claim claimed}
 * the request), in the caller's transaction.
 */
@Component
class ParkedRequests {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    ParkedRequests(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Parks {@code record}; nothing when it is parked already (a batch delivered again after a crash). */
    void park(ConsumerRecord<String, byte[]> record, String requestId, String error, int attempts) {
        ownTransaction.executeWithoutResult(status -> jdbc.update("insert into parked_request (topic,"
                        + " topic_partition, topic_offset, record_key, request_id, payload, error, attempts, parked_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (topic, topic_partition, topic_offset)"
                        + " do nothing",
                record.topic(), record.partition(), record.offset(), column(record.key()), column(requestId),
                record.value() == null ? new byte[0] : record.value(), CleanText.forLog(error), attempts));
    }

    /**
     * What a varchar(255) column keeps of a record's text: it as it is when a row can hold it, else nothing (the
     * payload keeps it all). A park that failed on its own input would stop the intake on that record for ever.
     */
    private static String column(String text) {
        return text != null && text.length() <= 255 && CleanText.isClean(text) ? text : null;
    }

    /**
     * Claims the parked request {@code id} for the caller's transaction, which must decide it: its row stays locked
     * until that transaction ends, so another operator's retry or skip of it waits and then finds it resolved (or,
     * if this retry failed and rolled back, still parked). Empty when it is not parked (any more).
     * The record comes without headers: nobody waits for its reply any more.
     */
    Optional<ConsumerRecord<String, byte[]>> claim(long id) {
        return jdbc.query("select topic, topic_partition, topic_offset, record_key, payload from parked_request"
                        + " where id = ? and status = 'parked' for update",
                (rs, i) -> new ConsumerRecord<>(rs.getString("topic"), rs.getInt("topic_partition"),
                        rs.getLong("topic_offset"), rs.getString("record_key"), rs.getBytes("payload")), id)
                .stream().findFirst();
    }

    /** An operator's retry failed again: the new error, one more attempt. */
    void failedAgain(long id, String error) {
        ownTransaction.executeWithoutResult(status -> jdbc.update("update parked_request set error = ?,"
                + " attempts = attempts + 1 where id = ? and status = 'parked'", error, id));
    }

    /** Decided by {@code operator}'s retry, in the transaction that {@link #claim claimed} and decided it. */
    void retried(long id, String operator) {
        jdbc.update("update parked_request set status = 'retried', resolved_at = now(), resolved_by = ? where id = ?",
                operator, id);
    }

    /**
     * Skipped by {@code operator}, in the caller's transaction: never decided. False when it is not parked (any
     * more); a retry of it under way is waited for.
     */
    boolean skipped(long id, String operator) {
        return jdbc.update("update parked_request set status = 'skipped', resolved_at = now(), resolved_by = ?"
                + " where id = ? and status = 'parked'", operator, id) == 1;
    }
}
