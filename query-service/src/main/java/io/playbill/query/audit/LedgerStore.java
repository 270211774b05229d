package io.playbill.query.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.query.audit.rules.AuditEvent;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ledger's event store ({@code domain_event_entry}), read only, through its own small connection pool (not a
 * Spring {@code DataSource} bean, so the service's own database stays the only one Spring Boot wires). Events are
 * streamed with a forward-only cursor, account by account, from one snapshot of the store.
 */
@Component
class LedgerStore implements DisposableBean {

    private static final String PRICE_SET = PriceSet.class.getName();
    private static final String COLUMNS = "event_identifier, aggregate_identifier, sequence_number, payload_type,"
            + " payload, time_stamp";

    private final AuditProperties properties;
    private HikariDataSource dataSource;

    LedgerStore(AuditProperties properties) {
        this.properties = properties;
    }

    /**
     * One read of the store in one snapshot: every {@code PriceSet} first (the price history the charges are checked
     * against), then the events of every account ({@code user == null}) or of one, account by account in sequence
     * order.
     */
    void read(String user, EventDecoder decoder, Consumer<AuditEvent> prices, Consumer<AuditEvent> events)
            throws SQLException {
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            // Through the (aggregate, sequence) index: payload_type has none, and the store holds every event.
            try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS
                    + " from domain_event_entry where aggregate_identifier = ? and payload_type = ?"
                    + " order by sequence_number")) {
                select.setString(1, PriceSet.STREAM);
                select.setString(2, PRICE_SET);
                stream(select, decoder, prices);
            }
            try (Statement settings = connection.createStatement()) {
                // Walk the (aggregate, sequence) index instead of sorting the whole store.
                settings.execute("set local enable_sort = off");
            }
            String sql = "select " + COLUMNS + " from domain_event_entry"
                    + (user == null ? "" : " where aggregate_identifier = ?")
                    + " order by aggregate_identifier, sequence_number";
            try (PreparedStatement select = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                if (user != null) {
                    select.setString(1, user);
                }
                stream(select, decoder, events);
            }
            connection.rollback();
        }
    }

    /** The events of the given accounts, account by account in sequence order. */
    List<AuditEvent> events(Collection<String> aggregates, EventDecoder decoder) throws SQLException {
        List<AuditEvent> events = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("select " + COLUMNS
                     + " from domain_event_entry where aggregate_identifier = any(?)"
                     + " order by aggregate_identifier, sequence_number")) {
            select.setArray(1, connection.createArrayOf("text", aggregates.toArray()));
            stream(select, decoder, events::add);
        }
        return events;
    }

    /** The fingerprint of an account's stored events up to {@code maxSequence}, read without their payloads. */
    Trail trailUpTo(String aggregate, long maxSequence) throws SQLException {
        Trail trail = new Trail();
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("select event_identifier, sequence_number,"
                     + " payload_type from domain_event_entry where aggregate_identifier = ? and sequence_number <= ?"
                     + " order by sequence_number")) {
            connection.setAutoCommit(false); // a fetch size streams only inside a transaction
            select.setString(1, aggregate);
            select.setLong(2, maxSequence);
            select.setFetchSize(properties.fetchSize());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    trail.add(new AuditEvent(rows.getString(1), aggregate, rows.getLong(2), rows.getString(3), null,
                            null));
                }
            }
            connection.rollback();
        }
        return trail;
    }

    /** An account's stored events after {@code sequence}, in sequence order, one at a time. */
    void eventsAfter(String aggregate, long sequence, EventDecoder decoder, Consumer<AuditEvent> sink)
            throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("select " + COLUMNS + " from domain_event_entry"
                     + " where aggregate_identifier = ? and sequence_number > ? order by sequence_number")) {
            connection.setAutoCommit(false);
            select.setString(1, aggregate);
            select.setLong(2, sequence);
            stream(select, decoder, sink);
            connection.rollback();
        }
    }

    private void stream(PreparedStatement select, EventDecoder decoder, Consumer<AuditEvent> sink)
            throws SQLException {
        select.setFetchSize(properties.fetchSize());
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String type = rows.getString(4);
                sink.accept(new AuditEvent(rows.getString(1), rows.getString(2), rows.getLong(3), type,
                        decoder.decode(type, rows.getBytes(5)), Instant.parse(rows.getString(6))));
            }
        }
    }

    private synchronized HikariDataSource dataSource() {
        if (dataSource == null) {
            AuditProperties.LedgerDatasource ledger = properties.ledgerDatasource();
            if (ledger == null || ledger.url() == null || ledger.url().isBlank()) {
                throw new IllegalStateException("playbill.audit.ledger-datasource.url is not set");
            }
            HikariConfig config = new HikariConfig();
            config.setPoolName("ledger-audit");
            config.setJdbcUrl(ledger.url());
            config.setUsername(ledger.username());
            config.setPassword(ledger.password());
            config.setReadOnly(true);
            // Server-side statements from the first run: payloads then arrive as binary bytea, not hex text.
            config.addDataSourceProperty("prepareThreshold", "-1");
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            config.setInitializationFailTimeout(-1);
            dataSource = new HikariDataSource(config);
        }
        return dataSource;
    }

    @Override
    public synchronized void destroy() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
