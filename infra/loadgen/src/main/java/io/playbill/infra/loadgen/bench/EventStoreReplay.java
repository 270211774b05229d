package io.playbill.infra.loadgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.playbill.infra.test.PostgresServer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * (e) What an audit replay costs before any audit exists: stream the whole ledger event store
 * ({@code domain_event_entry}) in global order through a server-side cursor and deserialise every payload into
 * its ledger-api event record (a JSON tree for types this build does not know) and its metadata. Passes repeat
 * until {@link #MIN_TIME} has passed, so a small store still gives a stable rate.
 */
final class EventStoreReplay {

    private static final Duration MIN_TIME = Duration.ofSeconds(3);
    private static final int MAX_PASSES = 1_000;
    private static final int FETCH_SIZE = 2_000;
    private static final String EVENTS_PACKAGE = "io.playbill.ledger.api.events.";

    record Result(double eventsPerSecond, long eventsInStore, int passes, Map<String, Long> eventTypes) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ObjectReader> readers = new HashMap<>();
    private final PostgresServer.Database ledger;

    EventStoreReplay(PostgresServer.Database ledger) {
        this.ledger = ledger;
    }

    Result run() throws SQLException, IOException {
        long started = System.nanoTime();
        long events = 0;
        int passes = 0;
        Map<String, Long> types = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(ledger.jdbcUrl(), ledger.username(),
                ledger.password())) {
            // A cursor (not the whole result in memory) needs a transaction.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            while (passes < MAX_PASSES && (passes == 0 || System.nanoTime() - started < MIN_TIME.toNanos())) {
                types.clear();
                events += replayOnce(connection, types);
                passes++;
                if (events == 0) {
                    break;
                }
            }
            connection.rollback();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long perPass = passes == 0 ? 0 : events / passes;
        return new Result(events / seconds, perPass, passes, types);
    }

    private long replayOnce(Connection connection, Map<String, Long> types) throws SQLException, IOException {
        long count = 0;
        try (PreparedStatement select = connection.prepareStatement("select global_index, aggregate_identifier, "
                + "sequence_number, payload_type, payload, meta_data from domain_event_entry order by global_index")) {
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(4);
                    reader(type).readValue(rows.getBytes(5));
                    byte[] metaData = rows.getBytes(6);
                    if (metaData != null) {
                        json.readTree(metaData);
                    }
                    types.merge(type, 1L, Long::sum);
                    count++;
                }
            }
        }
        return count;
    }

    /** The typed reader of a ledger event, or a tree reader for a type this build does not have. */
    private ObjectReader reader(String payloadType) {
        return readers.computeIfAbsent(payloadType, type -> {
            if (type.startsWith(EVENTS_PACKAGE)) {
                try {
                    return json.readerFor(Class.forName(type));
                } catch (ClassNotFoundException newerThanThisBuild) {
                    // Fall through to the tree reader.
                }
            }
            return json.readerFor(JsonNode.class);
        });
    }
}
