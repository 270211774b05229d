package io.playbill.gateway.cloud.stop;

import io.playbill.gateway.cloud.gs.GsPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Each user's one cloud game ({@code cloud_session}; GS's StopGame names only the user) and the ledger session that
 * pays for it. A session end stops exactly the game bound to that session, never a game another, paid session
 * started. For games without the token heartbeat, the row also holds the gateway's own heartbeat.
 */
public final class CloudSessions {

    /** Who renews the session that pays for the game. */
    public enum Billing {
        /** Billing mode none: nothing pays, nothing is renewed. */
        NONE,
        /** The client's SDK renews its session through {@code /api/game/renew}. */
        CLIENT,
        /** The gateway renews the session it opened, for clients without the token heartbeat. */
        SERVER
    }

    public enum State {
        /** Bound to a session while the user waits in the queue. */
        RESERVED,
        /** TrylockWorker / CreateSession are being asked. */
        STARTING,
        /** The game started. */
        RUNNING
    }

    /**
     * @param session          the ledger session (null in billing mode none)
     * @param startedAt        when the game started (running), or when the slot took its state (waiting)
     * @param firstRenewAt     the gateway heartbeat's t0 (server billing, once running)
     * @param deadline         the deadline the gateway heartbeat holds (server billing, once running)
     */
    public record Binding(String userId, String session, Billing billing, State state, GsPool pool,
                          Instant startedAt, Instant firstRenewAt, Long deadline) {
    }

    private static final String COLUMNS = "user_id, session, billing, state, game_id, started_at, first_renew_at,"
            + " deadline";
    private static final RowMapper<Binding> BINDING = CloudSessions::binding;
    /**
     * The user's slot as a transaction-level advisory lock: it exists before the user's row does. The prefix keeps
     * it apart from the queue's locks; two users whose keys collide only wait for each other.
     */
    private static final String SLOT_LOCK = "pg_advisory_xact_lock(hashtextextended('cloud_slot/' || ?, 0))";
    /** Releases holding a connection while GS answers, at once per instance. */
    private static final int HELD_RELEASES = 2;
    private static final Logger log = LoggerFactory.getLogger(CloudSessions.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Semaphore heldReleases = new Semaphore(HELD_RELEASES);

    public CloudSessions(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public Optional<Binding> of(String userId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cloud_session WHERE user_id = ?", BINDING, userId).stream()
                .findFirst();
    }

    /**
     * Whether the user's game slot is bound to {@code session}; if so, its row stays locked until the caller's
     * transaction ends, and whatever would change the slot (a stop, a start, a heartbeat claim skips it) waits.
     */
    public boolean holdIfBound(String userId, String session) {
        return !jdbc.queryForList("SELECT 1 FROM cloud_session WHERE user_id = ? AND session = ? FOR UPDATE",
                Integer.class, userId, session).isEmpty();
    }

    /** The pool of the user's running game, if any (a reconnect gets its own worker back). */
    public Optional<GsPool> current(String userId) {
        return of(userId).filter(binding -> binding.state() == State.RUNNING).map(Binding::pool);
    }

    /** What {@link #bind} did. */
    public enum Bound {
        /** The slot is bound to the session, in the state asked (a running game keeps running). */
        BOUND,
        /** The slot is bound to another session: nothing changed. */
        TAKEN,
        /** Another start of the same session marked the slot {@code starting} after the time given: nothing changed. */
        STARTING_ELSEWHERE
    }

    /**
     * Binds the user's game slot to {@code session} in state {@code state}, unless it is bound to another session.
     * A row of the same session moves to {@code state}; a running one keeps its state and game until {@link #running}
     * says another game runs (a start GS refuses changes nothing). Neither a start ({@code starting}) nor a queue
     * place ({@code reserved}) takes over a slot another start of the same session marked starting after
     * {@code underWaySince}: both starts would ask GS for the game, and the one whose CreateSession failed would
     * release the worker (StopGame names only the user), ending the game the other marks running and bills; a place
     * would let a later start in beside it, and its release end that game. {@code at} is when the slot took its
     * state: a start's {@code starting} slot is told from one left behind by it. Waits for a release of the user's
     * worker under way ({@link #releaseLockUnlessStarted}).
     */
    public Bound bind(String userId, String session, Billing billing, GsPool pool, State state, Instant at,
                      Instant underWaySince) {
        int changed = jdbc.update("INSERT INTO cloud_session (user_id, session, billing, state, game_id, started_at)"
                        + " SELECT ?, ?, ?, ?, ?, ? FROM (SELECT " + SLOT_LOCK + ") AS slot"
                        + " ON CONFLICT (user_id) DO UPDATE SET"
                        + " state = CASE WHEN cloud_session.state = 'running' THEN 'running' ELSE excluded.state END,"
                        + " game_id = CASE WHEN cloud_session.state = 'running' THEN cloud_session.game_id"
                        + " ELSE excluded.game_id END,"
                        + " started_at = CASE WHEN cloud_session.state = 'running' THEN cloud_session.started_at"
                        + " ELSE excluded.started_at END"
                        + " WHERE cloud_session.session IS NOT DISTINCT FROM excluded.session"
                        + " AND NOT (excluded.state IN ('starting', 'reserved') AND cloud_session.state = 'starting'"
                        + " AND COALESCE(cloud_session.started_at > ?, false))",
                userId, session, name(billing), name(state), pool.gameId(), at(at), userId, at(underWaySince));
        if (changed == 1) {
            return Bound.BOUND;
        }
        return of(userId).filter(held -> Objects.equals(held.session(), session)).isPresent()
                ? Bound.STARTING_ELSEWHERE : Bound.TAKEN;
    }

    /**
     * Frees a worker GS locked for the user's queue place that nobody takes ({@code release}: a StopGame), unless a
     * start holds the user's game slot (starting, or its game running): GS's StopGame names only the user, so it
     * would end the game that start is given, and GS frees a lock no game uses when it times out. The slot is held
     * while GS answers, also when the user has no binding: a start binding it meanwhile waits, and is not given a
     * worker this StopGame then ends. Each such release holds a database connection for one GS call, so only
     * {@value #HELD_RELEASES} run at once per instance; one that cannot begin within a second is left to GS's lock
     * timeout, so that a GS outage does not take every connection from billing.
     */
    public void releaseLockUnlessStarted(String userId, Runnable release) {
        boolean permitted;
        try {
            permitted = heldReleases.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!permitted) {
            log.warn("The worker locked for user {} is left to GS's lock timeout: {} releases are under way",
                    userId, HELD_RELEASES);
            return;
        }
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.queryForObject("SELECT 1 FROM (SELECT " + SLOT_LOCK + ") AS slot", Integer.class, userId);
                Optional<String> slot = jdbc.queryForList("SELECT state FROM cloud_session WHERE user_id = ?"
                        + " FOR UPDATE", String.class, userId).stream().findFirst();
                if (slot.filter(state -> !state.equals(name(State.RESERVED))).isPresent()) {
                    log.info("The worker locked for user {} is left to their start ({})", userId, slot.get());
                    return;
                }
                release.run();
            });
        } finally {
            heldReleases.release();
        }
    }

    /** The game of {@code session} started at {@code at}; false when its binding is gone (a stop released it). */
    public boolean running(String userId, String session, GsPool pool, Instant at) {
        return jdbc.update("UPDATE cloud_session SET state = 'running', game_id = ?, started_at = ?"
                + " WHERE user_id = ? AND session IS NOT DISTINCT FROM ?", pool.gameId(), at(at), userId, session) == 1;
    }

    /** Back to waiting (queued again), unless the game already runs. */
    public void reserved(String userId, String session) {
        jdbc.update("UPDATE cloud_session SET state = 'reserved' WHERE user_id = ? AND session IS NOT DISTINCT FROM ?"
                + " AND state <> 'running'", userId, session);
    }

    /** Forgets the user's game if it is still the one of {@code session}. */
    public boolean release(String userId, String session) {
        return jdbc.update("DELETE FROM cloud_session WHERE user_id = ? AND session IS NOT DISTINCT FROM ?", userId,
                session) == 1;
    }

    /**
     * Forgets the user's waiting slot (reserved or starting) if {@code billing} renews its session; a game that runs
     * keeps it. One statement: a start that marks the game running in between is never released under it.
     */
    public Optional<Binding> releaseWaiting(String userId, Billing billing) {
        return jdbc.query("DELETE FROM cloud_session WHERE user_id = ? AND billing = ? AND state <> 'running'"
                + " RETURNING " + COLUMNS, BINDING, userId, name(billing)).stream().findFirst();
    }

    /**
     * Forgets the user's game if its binding is still {@code seen}: same session, state and start time. A start that
     * bound or marked its game running since keeps its binding.
     */
    public boolean releaseIfUnchanged(Binding seen) {
        return jdbc.update("DELETE FROM cloud_session WHERE user_id = ? AND session IS NOT DISTINCT FROM ?"
                        + " AND state = ? AND started_at IS NOT DISTINCT FROM ?", seen.userId(), seen.session(),
                name(seen.state()), at(seen.startedAt())) == 1;
    }

    /**
     * A renew the gateway heartbeat got an answer to: t0 and the deadline it was given, and when to renew next. An
     * answer older than the deadline held (processed late, after a later renew's) changes nothing: the ledger's
     * deadlines never go back, and it would set the next renew by a deadline the session has passed.
     */
    public void heartbeat(String userId, String session, Instant firstRenewAt, long deadline, Instant nextRenewAt) {
        jdbc.update("UPDATE cloud_session SET first_renew_at = COALESCE(first_renew_at, ?), deadline = ?,"
                        + " next_renew_at = ?, renew_claimed_until = NULL, billing_started = true"
                        + " WHERE user_id = ? AND session = ?"
                        + " AND (deadline IS NULL OR deadline <= ?)",
                at(firstRenewAt), deadline, at(nextRenewAt), userId, session, deadline);
    }

    /**
     * The session that pays for the game of {@code session} has started billing, or the game is handed to the stopper
     * because it cannot: either way, nothing is left for {@link #claimUnbilled}. False when the game is not bound to
     * {@code session} (a stop released it).
     */
    public boolean billingStarted(String userId, String session) {
        return jdbc.update("UPDATE cloud_session SET billing_started = true, renew_claimed_until = NULL"
                + " WHERE user_id = ? AND session = ?", userId, session) == 1;
    }

    /** A renew that got no usable answer: try again at {@code retryAt}. */
    public void renewLater(String userId, String session, Instant retryAt) {
        jdbc.update("UPDATE cloud_session SET next_renew_at = ?, renew_claimed_until = NULL"
                + " WHERE user_id = ? AND session = ?", at(retryAt), userId, session);
    }

    /**
     * Claims up to {@code limit} gateway-renewed games whose renew is due at {@code now}, for {@code lease} (one
     * instance renews each; a crashed one's claims lapse).
     */
    public List<Binding> claimDueRenews(Instant now, Instant leaseUntil, int limit) {
        return jdbc.query("UPDATE cloud_session SET renew_claimed_until = ? WHERE user_id IN (SELECT user_id"
                        + " FROM cloud_session WHERE billing = 'server' AND state = 'running' AND next_renew_at <= ?"
                        + " AND (renew_claimed_until IS NULL OR renew_claimed_until < ?) ORDER BY next_renew_at"
                        + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, BINDING, at(leaseUntil), at(now),
                at(now), limit);
    }

    /**
     * Claims up to {@code limit} running games, started before {@code startedBefore}, whose session has not started
     * billing (neither {@link #billingStarted} nor a {@link #heartbeat}), until {@code leaseUntil}: one instance
     * starts each, and a crashed one's claims lapse.
     */
    public List<Binding> claimUnbilled(Instant startedBefore, Instant now, Instant leaseUntil, int limit) {
        return jdbc.query("UPDATE cloud_session SET renew_claimed_until = ? WHERE user_id IN (SELECT user_id"
                        + " FROM cloud_session WHERE state = 'running' AND billing <> 'none' AND NOT billing_started"
                        // A gateway-renewed game with a first renew is billed (an instance of an older version, in a
                        // rolling upgrade, did not mark it).
                        + " AND first_renew_at IS NULL AND started_at < ?"
                        + " AND (renew_claimed_until IS NULL OR renew_claimed_until < ?)"
                        + " ORDER BY started_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, BINDING,
                at(leaseUntil), at(startedBefore), at(now), limit);
    }

    private static Binding binding(ResultSet rs, int row) throws SQLException {
        return new Binding(rs.getString("user_id"), rs.getString("session"),
                Billing.valueOf(rs.getString("billing").toUpperCase(Locale.ROOT)),
                State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                new GsPool(rs.getString("game_id")), instant(rs, "started_at"),
                instant(rs, "first_renew_at"), rs.getObject("deadline") == null ? null : rs.getLong("deadline"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
