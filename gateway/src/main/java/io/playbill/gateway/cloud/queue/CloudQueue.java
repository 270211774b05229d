package io.playbill.gateway.cloud.queue;

import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The queues of players waiting for an idle GS worker, one FIFO per game (its {@link GsPool}), in PostgreSQL
 * ({@code cloud_queue}) so that they survive restarts and every gateway instance shares them. Each place keeps the
 * player's preferred region for TrylockWorker. Players' calls (enqueue, poll, claim, cancel) are single statements;
 * the worker side ({@link #takeTurn}) serves one game at a time under a transaction-level advisory lock, so two
 * instances never race for the same game's head.
 */
public final class CloudQueue {

    private static final String COLUMNS = "user_id, game_id, game_region, seq, status, group_id, user_ip, error_code, "
            + "next_attempt_at, ready_until";
    private static final RowMapper<QueuePlace> PLACE = CloudQueue::place;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate independently;
    private final Clock clock;
    private final Duration lockRetryInterval;
    private final Duration entryTtl;
    private final Duration readyTimeout;

    public CloudQueue(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, Duration lockRetryInterval,
                      Duration entryTtl, Duration readyTimeout) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.independently = new TransactionTemplate(transactions.getTransactionManager());
        this.independently.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.lockRetryInterval = lockRetryInterval;
        this.entryTtl = entryTtl;
        this.readyTimeout = readyTimeout;
    }

    public Optional<QueuePlace> find(String userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cloud_queue WHERE user_id = ?", PLACE, userId).stream().findFirst();
    }

    /** Whether anyone waits or holds a ready worker of the game: a newcomer then queues behind them. */
    public boolean isOccupied(GsPool pool) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM cloud_queue WHERE game_id = ? "
                + "AND status <> 'failed')", Boolean.class, pool.gameId()));
    }

    /**
     * Puts the user at the back of the game's queue and answers their standing. A user who has a place already
     * keeps it (whatever its game): the caller decides what a second place means.
     */
    public QueueStanding enqueue(String userId, GsLockRequest lock, String userIp) {
        OffsetDateTime now = now();
        jdbc.update("INSERT INTO cloud_queue (user_id, game_id, game_region, status, group_id, user_ip, enqueued_at, "
                        + "last_poll_at, next_attempt_at) VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (user_id) DO NOTHING",
                userId, lock.gameId(), regionColumn(lock), lock.groupId(), userIp, now, now, now);
        return poll(userId).orElseThrow(() -> new IllegalStateException("The queue place of " + userId + " vanished"));
    }

    /** The client is still there: keeps the place alive and answers its standing. */
    public Optional<QueueStanding> poll(String userId) {
        Optional<QueuePlace> place = jdbc.query("UPDATE cloud_queue SET last_poll_at = ? WHERE user_id = ? "
                + "RETURNING " + COLUMNS, PLACE, now(), userId).stream().findFirst();
        return place.map(p -> new QueueStanding(p, position(p)));
    }

    /**
     * Marks the user's ready place as {@link QueuePlace.Status#STARTING} for their start call, until the call ends
     * ({@link #putBack} or {@link #leaveStarting}) or at most the ready timeout. The place keeps its number and holds
     * the line, so a worker that frees up during the call goes to nobody behind it, and the expiry no longer releases
     * the worker under the player's feet. Empty if the place is not ready (or gone).
     */
    public Optional<QueuePlace> claimReady(String userId) {
        OffsetDateTime now = now();
        return jdbc.query("UPDATE cloud_queue SET status = 'starting', ready_until = ?, last_poll_at = ? "
                        + "WHERE user_id = ? AND status = 'ready' RETURNING " + COLUMNS,
                PLACE, now.plus(readyTimeout), now, userId).stream().findFirst();
    }

    /**
     * The start of a claimed place found no worker: the place is waiting again with its old number, so its player
     * stays first in line. Empty if the place left the line during the start: the player stopped or cancelled (or
     * the start outlived the ready timeout), and is not queued again against their word. Only the claimed place
     * itself (its number) is put back: a place the player took later, for a start of its own, is not this call's.
     */
    public Optional<QueueStanding> putBack(QueuePlace claimed) {
        OffsetDateTime now = now();
        int waitingAgain = jdbc.update("UPDATE cloud_queue SET status = 'waiting', ready_until = NULL, "
                + "last_poll_at = ?, next_attempt_at = ? WHERE user_id = ? AND seq = ? AND status = 'starting'",
                now, now.plus(lockRetryInterval), claimed.userId(), claimed.seq());
        return waitingAgain == 0 ? Optional.empty() : poll(claimed.userId());
    }

    /**
     * The start call of a claimed place ended without putting it back (started, or failed for good): it is gone.
     * Only that place (its number): a call that outlived the ready timeout must not remove the player's next one.
     */
    public void leaveStarting(QueuePlace claimed) {
        jdbc.update("DELETE FROM cloud_queue WHERE user_id = ? AND seq = ? AND status = 'starting'",
                claimed.userId(), claimed.seq());
    }

    /** Removes the user's place; answers it if there was one. */
    public Optional<QueuePlace> remove(String userId) {
        return jdbc.query("DELETE FROM cloud_queue WHERE user_id = ? RETURNING " + COLUMNS, PLACE, userId)
                .stream().findFirst();
    }

    /**
     * Drops waiting and failed places whose client stopped polling, ready places whose player did not come back in
     * time, and starting places whose start call outlived the ready timeout (its gateway died mid-call). Answers the
     * dropped places; the ready ones still hold a GS worker that must be released.
     */
    List<QueuePlace> expire() {
        OffsetDateTime now = now();
        return jdbc.query("DELETE FROM cloud_queue WHERE (status IN ('waiting', 'failed') AND last_poll_at < ?) "
                + "OR (status IN ('ready', 'starting') AND ready_until < ?) RETURNING " + COLUMNS, PLACE,
                now.minus(entryTtl), now);
    }

    /** The games with a waiting place whose next lock attempt is due. */
    List<GsPool> poolsDue() {
        return jdbc.query("SELECT DISTINCT game_id FROM cloud_queue WHERE status = 'waiting' AND next_attempt_at <= ?",
                (rs, row) -> new GsPool(rs.getString("game_id")), now());
    }

    /**
     * Runs {@code work} on the game's waiting places, in FIFO order, while a transaction holds the game's advisory
     * lock (and nothing else). If another instance holds it, does nothing and answers false. The places behind a
     * starting one are left out: that start may still find its worker taken and put its place back at the head.
     */
    boolean takeTurn(GsPool pool, int maxPlaces, Consumer<PoolTurn> work) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            // Two games whose keys collide only take turns; the prefix keeps other advisory locks apart.
            Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtextextended("
                    + "'cloud_queue/' || ?, 0))", Boolean.class, pool.gameId());
            if (!Boolean.TRUE.equals(locked)) {
                return false;
            }
            // The turn's transaction holds the game's lock and no table: what the turn reads and writes commits
            // apart. A statement that waits for a table lock (a migration's ALTER, a TRUNCATE) would otherwise wait
            // for the turn, while the turn's next write queued behind it: a wait on two connections that neither
            // PostgreSQL nor anyone else ends.
            List<QueuePlace> waiting = independently.execute(read -> jdbc.query("SELECT " + COLUMNS
                    + " FROM cloud_queue q WHERE game_id = ? AND status = 'waiting' AND NOT EXISTS (SELECT 1"
                    + " FROM cloud_queue ahead WHERE ahead.game_id = q.game_id AND ahead.status = 'starting'"
                    + " AND ahead.seq < q.seq) ORDER BY seq LIMIT ?", PLACE, pool.gameId(), maxPlaces));
            work.accept(new PoolTurn(waiting));
            return true;
        }));
    }

    /**
     * One instance's turn at a game's queue: the waiting places, and what became of each. Each outcome is committed
     * at once, apart from the turn's transaction: a player's poll or cancel never waits for the GS calls of the places
     * behind theirs, and learns of a locked worker as soon as it is locked. Each names the place by its number: a
     * player who left and queued again during the turn has a new place, which is not this turn's to settle.
     */
    final class PoolTurn {

        private final List<QueuePlace> waiting;

        private PoolTurn(List<QueuePlace> waiting) {
            this.waiting = waiting;
        }

        List<QueuePlace> waiting() {
            return waiting;
        }

        Instant now() {
            return clock.instant();
        }

        /** A worker is locked for the place's player. False if the place is gone (cancelled meanwhile). */
        boolean ready(QueuePlace place) {
            Instant now = clock.instant();
            return update("UPDATE cloud_queue SET status = 'ready', ready_until = ? WHERE user_id = ? AND seq = ?"
                    + " AND status = 'waiting'", at(now.plus(readyTimeout)), place.userId(), place.seq()) == 1;
        }

        /** No worker this time: the place stays first and is tried again after the retry interval. */
        void retryLater(QueuePlace place) {
            update("UPDATE cloud_queue SET next_attempt_at = ? WHERE user_id = ? AND seq = ?",
                    at(clock.instant().plus(lockRetryInterval)), place.userId(), place.seq());
        }

        /** GS refused the place's lock with {@code errorCode} for good; its player learns it on the next poll. */
        void failed(QueuePlace place, String errorCode) {
            update("UPDATE cloud_queue SET status = 'failed', error_code = ? WHERE user_id = ? AND seq = ?"
                    + " AND status = 'waiting'", errorCode, place.userId(), place.seq());
        }

        private int update(String sql, Object... args) {
            Integer changed = independently.execute(status -> jdbc.update(sql, args));
            return changed == null ? 0 : changed;
        }
    }

    private int position(QueuePlace place) {
        Integer ahead = jdbc.queryForObject("SELECT count(*) FROM cloud_queue WHERE game_id = ? AND seq <= ? "
                + "AND status <> 'failed'", Integer.class, place.pool().gameId(), place.seq());
        return ahead == null ? 0 : ahead;
    }

    /** The column is NOT NULL: '' stands for no preferred region. */
    private static String regionColumn(GsLockRequest lock) {
        return lock.gameRegion() == null ? "" : lock.gameRegion();
    }

    private OffsetDateTime now() {
        return at(clock.instant());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static QueuePlace place(ResultSet rs, int row) throws SQLException {
        OffsetDateTime readyUntil = rs.getObject("ready_until", OffsetDateTime.class);
        GsLockRequest lock = new GsLockRequest(new GsPool(rs.getString("game_id")), rs.getString("game_region"),
                rs.getString("group_id"));
        return new QueuePlace(rs.getString("user_id"), lock, rs.getLong("seq"),
                QueuePlace.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getString("user_ip"), rs.getString("error_code"),
                rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(),
                readyUntil == null ? null : readyUntil.toInstant());
    }
}
