package io.playbill.query.parked;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.playbill.query.audit.AuditProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * What the ledger's consumers parked, read from the ledger's database (the audit's {@code ledger-datasource}, read
 * only): the intake's {@code parked_request}, the expiry scanner's parked {@code session_expiry} rows and the
 * publisher's {@code dead_letter_entry}. The ledger has no HTTP API; an operator reads here, and retries or skips
 * through the gateway's {@code /api/admin/ledger/parked/{consumer}} (a ledger request), naming the {@code item}.
 */
@Component
class LedgerParkedItems implements DisposableBean {

    /** The ledger's consumers, as the gateway's retry and skip name them. */
    static final List<String> CONSUMERS = List.of("intake", "expiry", "publisher");

    /**
     * One parked item.
     *
     * @param item      what the operator names to retry or skip it: the request's id (intake), {@code user/session}
     *                  (expiry), {@code user/event} (publisher; a retry may name the user alone)
     * @param status    {@code parked}, or {@code waiting} for a publisher event queued behind the user's parked one
     * @param detail    the request's id (intake) or the event's type (publisher)
     * @param attempts  null for the publisher, which keeps no count
     * @param partition with {@code offset}: where the request lies on the request topic (intake only)
     */
    record ParkedLedgerItem(String consumer, String item, String userId, String status, String detail, String error,
                            Integer attempts, Instant parkedAt, Integer partition, Long offset) {
    }

    private static final String ITEMS = """
            select 'intake' as consumer, cast(id as varchar) as item, record_key as user_id, 'parked' as status,
                   request_id as detail, error, attempts, parked_at, topic_partition, topic_offset,
                   cast(0 as bigint) as position
              from parked_request where status = 'parked'
            union all
            select 'expiry', user_id || '/' || session_id, user_id, 'parked', null, last_error, attempts,
                   to_timestamp(parked_at_millis / 1000.0), null, null, cast(0 as bigint)
              from session_expiry where parked_at_millis is not null
            union all
            select 'publisher', sequence_identifier || '/' || event_identifier, sequence_identifier,
                   case when sequence_index = min(sequence_index) over (partition by sequence_identifier)
                        then 'parked' else 'waiting' end,
                   payload_type, coalesce(cause_type || ': ', '') || coalesce(cause_message, ''), null, enqueued_at,
                   null, null, sequence_index
              from dead_letter_entry
            """;
    private static final RowMapper<ParkedLedgerItem> ROWS = (rs, i) -> new ParkedLedgerItem(rs.getString("consumer"),
            rs.getString("item"), rs.getString("user_id"), rs.getString("status"), rs.getString("detail"),
            rs.getString("error"), rs.getObject("attempts", Integer.class), instant(rs.getTimestamp("parked_at")),
            rs.getObject("topic_partition", Integer.class), rs.getObject("topic_offset", Long.class));

    private final AuditProperties properties;
    private HikariDataSource dataSource;

    LedgerParkedItems(AuditProperties properties) {
        this.properties = properties;
    }

    /**
     * Newest first; {@code consumer} null for all of them. A user's parked events share their item and often their
     * time, so their place in the user's sequence ({@code position}) keeps the order, and the pages, stable.
     */
    List<ParkedLedgerItem> list(String consumer, long offset, int limit) {
        return jdbc().query("select * from (" + ITEMS + ") items where cast(? as varchar) is null or consumer = ?"
                + " order by parked_at desc, consumer, user_id, position, item offset ? limit ?", ROWS, consumer, consumer, offset, limit);
    }

    long count(String consumer) {
        Long count = jdbc().queryForObject("select count(*) from (" + ITEMS + ") items"
                + " where cast(? as varchar) is null or consumer = ?", Long.class, consumer, consumer);
        return count == null ? 0 : count;
    }

    private synchronized JdbcTemplate jdbc() {
        if (dataSource == null) {
            AuditProperties.LedgerDatasource ledger = properties.ledgerDatasource();
            if (ledger == null || ledger.url() == null || ledger.url().isBlank()) {
                throw new IllegalStateException("playbill.audit.ledger-datasource.url is not set");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("ledger-parked");
            config.setJdbcUrl(ledger.url());
            config.setUsername(ledger.username());
            config.setPassword(ledger.password());
            config.setReadOnly(true);
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            // While the ledger's database is down a list waits this long, as every read does, then answers 503
            // database_unavailable: Hikari's 30 s is as long as the gateway waits for this service.
            config.setConnectionTimeout(3000);
            config.setInitializationFailTimeout(-1);
            dataSource = new HikariDataSource(config);
        }
        return new JdbcTemplate(dataSource);
    }

    @Override
    public synchronized void destroy() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
