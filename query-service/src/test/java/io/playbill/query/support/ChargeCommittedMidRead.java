package io.playbill.query.support;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live processor's commit of a user's next charge, made while a reader waits between two of its reads: one table
 * is locked, the reader starts, and once it waits on that lock the charge's rows of both account tables (60 s more
 * playtime on the user's first queue, one event further) commit together, as the processor commits them. Undone
 * when closed, so the projections agree with the ledger again.
 */
public final class ChargeCommittedMidRead implements AutoCloseable {

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final String user;
    private final String queue;

    public ChargeCommittedMidRead(JdbcTemplate jdbc, DataSource dataSource, String user) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.user = user;
        this.queue = jdbc.queryForObject("select min(queue) from account_queue where user_id = ?", String.class,
                user);
    }

    /**
     * Runs {@code read} with {@code lockedTable} locked and commits the charge once a statement {@code LIKE}
     * {@code waitingStatement} waits for that lock; the read's answer follows.
     */
    public <T> CompletableFuture<T> during(String lockedTable, String waitingStatement, Supplier<T> read)
            throws SQLException {
        CompletableFuture<T> answer;
        try (Connection processor = dataSource.getConnection()) {
            processor.setAutoCommit(false);
            try (Statement lock = processor.createStatement()) {
                lock.execute("lock table " + lockedTable + " in access exclusive mode");
            }
            answer = CompletableFuture.supplyAsync(read);
            await("the read has begun and waits for " + lockedTable).atMost(Duration.ofSeconds(60))
                    .until(() -> jdbc.queryForObject("select count(*) from pg_stat_activity where wait_event_type"
                            + " = 'Lock' and query like ?", Integer.class, waitingStatement) > 0);
            try (PreparedStatement account = processor.prepareStatement("update account set playtime_seconds ="
                    + " playtime_seconds + 60, last_sequence = last_sequence + 1 where user_id = ?");
                 PreparedStatement queues = processor.prepareStatement("update account_queue set playtime_seconds ="
                         + " playtime_seconds + 60 where user_id = ? and queue = ?")) {
                account.setString(1, user);
                assertThat(account.executeUpdate()).isEqualTo(1);
                queues.setString(1, user);
                queues.setString(2, queue);
                assertThat(queues.executeUpdate()).isEqualTo(1);
            }
            processor.commit();
        }
        return answer;
    }

    @Override
    public void close() {
        jdbc.update("update account set playtime_seconds = playtime_seconds - 60, last_sequence = last_sequence - 1"
                + " where user_id = ?", user);
        jdbc.update("update account_queue set playtime_seconds = playtime_seconds - 60 where user_id = ? and queue = ?",
                user, queue);
    }
}
