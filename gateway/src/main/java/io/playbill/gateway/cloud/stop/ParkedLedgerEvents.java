package io.playbill.gateway.cloud.stop;

import io.playbill.service.parking.Failures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * {@code cloud_stopper_parked}: ledger-events records the cloud stopper could not handle after its attempts, kept for
 * an operator instead of dropped (an undecodable {@code SessionEnded} used to be logged and skipped, so its game was
 * never stopped). A retry handles the record again as if it had just arrived; a skip drops it.
 */
public final class ParkedLedgerEvents {

    private static final Logger log = LoggerFactory.getLogger(ParkedLedgerEvents.class);

    /**
     * @param payload the record's value as text (the event's JSON, or whatever could not be read as it)
     */
    public record ParkedEvent(long id, String topic, int partition, long offset, String key, String eventType,
                              String payload, String error, int attempts, java.time.Instant parkedAt) {
    }

    /** What an operator's retry did: handled (and removed), or failed again with {@code error}. */
    public record Retry(boolean handled, String error) {
    }

    private static final String COLUMNS = "id, topic, topic_partition, topic_offset, record_key, event_type, payload,"
            + " error, attempts, parked_at";
    private static final RowMapper<ParkedEvent> ROWS = (rs, i) -> new ParkedEvent(rs.getLong("id"),
            rs.getString("topic"), rs.getInt("topic_partition"), rs.getLong("topic_offset"),
            rs.getString("record_key"), rs.getString("event_type"), text(rs.getBytes("payload")),
            rs.getString("error"), rs.getInt("attempts"), instant(rs.getTimestamp("parked_at")));

    private final JdbcTemplate jdbc;
    private final LedgerEventsListener listener;
    private final int attempts;

    public ParkedLedgerEvents(JdbcTemplate jdbc, LedgerEventsListener listener, int attempts) {
        this.jdbc = jdbc;
        this.listener = listener;
        this.attempts = attempts;
    }

    /** Parks {@code record} (nothing when it is parked already: a redelivery). */
    public void park(ConsumerRecord<?, ?> record, Exception failure) {
        String error = Failures.describe(failure);
        boolean undecodable = LedgerEventsListener.isUndecodable(failure);
        jdbc.update("INSERT INTO cloud_stopper_parked (topic, topic_partition, topic_offset, record_key, event_type,"
                        + " payload, error, attempts, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " ON CONFLICT (topic, topic_partition, topic_offset) DO NOTHING",
                record.topic(), record.partition(), record.offset(),
                record.key() == null ? null : record.key().toString(),
                headerText(record.headers().lastHeader(LedgerEventsListener.TYPE_HEADER)),
                record.value() instanceof byte[] value ? value : null, error, undecodable ? 1 : attempts);
        log.error("The cloud stopper parked the record at {}-{}@{} (key {}): {}. Its game is not stopped until an"
                        + " operator retries it (docs/operations.md, \"Parked items\").", record.topic(),
                record.partition(), record.offset(), record.key(), error);
    }

    public List<ParkedEvent> list(long offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cloud_stopper_parked ORDER BY id DESC OFFSET ? LIMIT ?", ROWS,
                offset, limit);
    }

    public long count() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM cloud_stopper_parked", Long.class);
        return count == null ? 0 : count;
    }

    /** Handles the parked record again; empty when nothing is parked under {@code id}. */
    public Optional<Retry> retry(long id) {
        Optional<ConsumerRecord<String, byte[]>> parked = jdbc.query("SELECT " + COLUMNS
                + " FROM cloud_stopper_parked WHERE id = ?", (rs, i) -> {
                    var record = new ConsumerRecord<>(rs.getString("topic"), rs.getInt("topic_partition"),
                            rs.getLong("topic_offset"), rs.getString("record_key"), rs.getBytes("payload"));
                    String type = rs.getString("event_type");
                    if (type != null) {
                        record.headers().add(LedgerEventsListener.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
                    }
                    return record;
                }, id).stream().findFirst();
        if (parked.isEmpty()) {
            return Optional.empty();
        }
        try {
            listener.onMessage(parked.get());
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            String error = Failures.describe(failure);
            jdbc.update("UPDATE cloud_stopper_parked SET error = ?, attempts = attempts + 1 WHERE id = ?", error, id);
            return Optional.of(new Retry(false, error));
        }
        jdbc.update("DELETE FROM cloud_stopper_parked WHERE id = ?", id);
        log.info("Operator retry handled the parked ledger-events record {}", id);
        return Optional.of(new Retry(true, null));
    }

    /** Drops the parked record for good; false when nothing is parked under {@code id}. */
    public boolean skip(long id) {
        boolean skipped = jdbc.update("DELETE FROM cloud_stopper_parked WHERE id = ?", id) > 0;
        if (skipped) {
            log.warn("Operator skipped the parked ledger-events record {}: its game is not stopped by the gateway", id);
        }
        return skipped;
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static String headerText(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
