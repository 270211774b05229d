package io.playbill.infra.loadgen.bench;

import io.playbill.infra.test.PostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (d) The other floor under the renew path: single-row inserts, one row per transaction (autocommit), from a few
 * connections at once, on the platform's PostgreSQL server. Rows are shaped like an event store row (an aggregate
 * id, a sequence number, a JSON-sized bytea payload). Every commit waits for the WAL flush (fsync and
 * synchronous_commit are on, decision 046), so this is the commit rate the disk allows; the ledger commits one
 * transaction per Kafka batch, not per request.
 */
final class RawPostgresInserts {

    static final int CONNECTIONS = 4;
    private static final int PAYLOAD_BYTES = 200;

    record Result(double commitsPerSecond, long commits) {
    }

    private final PostgresServer.Database database;

    RawPostgresInserts(PostgresServer.Database database) {
        this.database = database;
    }

    Result run(Duration warmUp, Duration measured) throws Exception {
        try (Connection admin = connect(); Statement ddl = admin.createStatement()) {
            ddl.execute("drop table if exists bench_insert");
            ddl.execute("create table bench_insert (id bigserial primary key, aggregate_identifier varchar(255) not "
                    + "null, sequence_number bigint not null, payload bytea not null)");
            try {
                return measure(warmUp, measured);
            } finally {
                ddl.execute("drop table bench_insert");
            }
        }
    }

    private Result measure(Duration warmUp, Duration measured) throws Exception {
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        AtomicLong commits = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int writer = c;
            Thread thread = new Thread(() -> {
                try {
                    insertUntil(writer, measureFrom, measureUntil, commits);
                } catch (SQLException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "bench-pg-" + c);
            thread.setDaemon(true);
            thread.start();
            writers.add(thread);
        }
        for (Thread thread : writers) {
            thread.join(measured.plus(warmUp).toMillis() + 30_000);
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return new Result(commits.get() / (measured.toNanos() / 1e9), commits.get());
    }

    private void insertUntil(int writer, long measureFrom, long measureUntil, AtomicLong commits)
            throws SQLException {
        byte[] payload = new byte[PAYLOAD_BYTES];
        ThreadLocalRandom.current().nextBytes(payload);
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into bench_insert (aggregate_identifier, sequence_number, payload) values (?, ?, ?)")) {
            connection.setAutoCommit(true);
            long sequence = 0;
            while (System.nanoTime() < measureUntil) {
                insert.setString(1, "lgb-user-" + writer);
                insert.setLong(2, sequence++);
                insert.setBytes(3, payload);
                insert.executeUpdate();
                long now = System.nanoTime();
                if (now >= measureFrom && now <= measureUntil) {
                    commits.incrementAndGet();
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
