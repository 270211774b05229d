package io.playbill.gateway.cloud.stop;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * {@code cloud_stop}: every ledger session end the gateway heard of, once, and what became of its cloud game. A stop
 * is {@code pending} until GS confirmed it ({@code stopped}), or nothing was bound to the session ({@code no_game}),
 * or it failed too often and waits for an operator ({@code parked}).
 */
public final class StopRecords {

    public enum Result { PENDING, STOPPED, NO_GAME, PARKED }

    /**
     * @param reason        the ledger's reason as on the wire ({@code stopped}, {@code balance_exhausted}, ...)
     * @param ledgerEventAt when the ledger ended the session
     * @param result        {@code pending}, {@code stopped}, {@code no_game} or {@code parked} (older rows may hold
     *                      the results of earlier versions)
     * @param stoppedAt     when the gateway finished with it; null while pending or parked
     */
    public record StopRecord(long id, String userId, String session, String reason, Instant ledgerEventAt,
                             String result, int attempts, String lastError, Instant stoppedAt, String gsRequestId) {
    }

    private static final String COLUMNS = "id, user_id, session, reason, ledger_event_at, result, attempts,"
            + " last_error, stopped_at, gs_request_id";
    private static final RowMapper<StopRecord> RECORD = (rs, row) -> new StopRecord(rs.getLong("id"),
            rs.getString("user_id"), rs.getString("session"), rs.getString("reason"),
            instant(rs.getTimestamp("ledger_event_at")), rs.getString("result"), rs.getInt("attempts"),
            rs.getString("last_error"), instant(rs.getTimestamp("stopped_at")), rs.getString("gs_request_id"));

    /** The reason of a player's stop handed over ahead ({@link #stopAfter}); every other reason is the ledger's. */
    static final String PLAYER_STOP = "player_stop";

    private final JdbcTemplate jdbc;

    public StopRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that the ledger ended {@code session}, claimed for the caller's first attempt until {@code claimUntil};
     * empty when it was recorded before (the ledger's events are delivered at least once). A player's stop handed over
     * ahead ({@link #stopAfter}) becomes this end, attempted now: still pending, because the ledger may end the
     * session (balance exhausted) while that stop is stuck or its instance gone; finished, because a player's stop
     * ends nothing in the ledger when its StopSession is lost, and a later start of the same session then plays a
     * game only this end stops. (Its reason is the ledger's from then on, so a redelivered end is still known.)
     */
    public Optional<StopRecord> recordEnd(String userId, String session, String reason, Instant endedAt,
                                          Instant claimUntil) {
        return jdbc.query("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result,"
                        + " next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (user_id, session) DO UPDATE"
                        + " SET reason = excluded.reason, ledger_event_at = excluded.ledger_event_at,"
                        + " next_attempt_at = excluded.next_attempt_at, result = 'pending',"
                        + " attempts = CASE WHEN cloud_stop.result = 'pending' THEN cloud_stop.attempts ELSE 0 END,"
                        + " stopped_at = NULL"
                        + " WHERE cloud_stop.reason = '" + PLAYER_STOP + "'"
                        + " RETURNING " + COLUMNS, RECORD, userId, session, reason, at(endedAt), at(claimUntil))
                .stream().findFirst();
    }

    /**
     * A player's stop of {@code session}'s game, handed to the stopper before GS is asked and due at {@code dueAt}:
     * should the instance die before the stop is done, the stopper finishes it. Nothing changes if the session has a
     * record already.
     */
    public void stopAfter(String userId, String session, Instant stoppedAt, Instant dueAt) {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result, next_attempt_at)"
                        + " VALUES (?, ?, '" + PLAYER_STOP + "', ?, 'pending', ?)"
                        + " ON CONFLICT (user_id, session) DO NOTHING",
                userId, session, at(stoppedAt), at(dueAt));
    }

    /**
     * The stop of {@code session}'s game is pending again, due at {@code dueAt}: recorded if new, re-opened if it was
     * finished (a game the gateway could not stop at once is bound to that session again); while pending it keeps its
     * attempts and is due at the earlier of the two times (a player's stop hands its game over ahead, due after a
     * grace, and at once when GS would not stop it).
     */
    public void stopAgain(String userId, String session, Instant endedAt, Instant dueAt) {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result, next_attempt_at)"
                        + " VALUES (?, ?, 'stopped', ?, 'pending', ?) ON CONFLICT (user_id, session) DO UPDATE SET"
                        + " attempts = CASE WHEN cloud_stop.result = 'pending' THEN cloud_stop.attempts ELSE 0 END,"
                        + " next_attempt_at = CASE WHEN cloud_stop.result = 'pending'"
                        + " THEN LEAST(cloud_stop.next_attempt_at, excluded.next_attempt_at)"
                        + " ELSE excluded.next_attempt_at END,"
                        + " stopped_at = CASE WHEN cloud_stop.result = 'pending' THEN cloud_stop.stopped_at END,"
                        + " result = 'pending'",
                userId, session, at(endedAt), at(dueAt));
    }

    /**
     * Whether the ledger ended {@code session} (a start that raced with the end checks this last); a player's stop
     * handed over ahead is not an end: it may fail before it ends anything.
     */
    public boolean ended(String userId, String session) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM cloud_stop WHERE user_id = ?"
                + " AND session = ? AND reason <> '" + PLAYER_STOP + "')", Boolean.class, userId, session));
    }

    /**
     * Locks the row of {@code stop} for the caller's transaction if it is still as claimed (pending, with as many
     * attempts); false for a copy claimed again after its claim lapsed. A hand-over ({@link #stopAgain}) meanwhile
     * waits for the attempt's outcome, then re-opens the stop.
     */
    public boolean holdPending(StopRecord stop) {
        return !jdbc.queryForList("SELECT 1 FROM cloud_stop WHERE id = ? AND result = 'pending' AND attempts = ?"
                + " FOR UPDATE", Integer.class, stop.id(), stop.attempts()).isEmpty();
    }

    /** The attempt of {@code stop}, holding its row ({@link #holdPending}), ended the stop. */
    public void finished(StopRecord stop, Result result, String gsRequestId, Instant at) {
        // A stop re-opened after a StopGame (a player's stop of a game the stopper had stopped) keeps that call's id.
        jdbc.update("UPDATE cloud_stop SET result = ?, gs_request_id = COALESCE(?, gs_request_id), stopped_at = ?,"
                + " next_attempt_at = NULL,"
                + " attempts = attempts + 1 WHERE id = ?", name(result), gsRequestId, at(at), stop.id());
    }

    /**
     * The attempt of {@code stop}, holding its row ({@link #holdPending}), failed: try again at {@code nextAttemptAt},
     * or park it when that is null.
     */
    public void failed(StopRecord stop, String error, Instant nextAttemptAt) {
        jdbc.update("UPDATE cloud_stop SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
                        + " result = CASE WHEN ?::timestamptz IS NULL THEN 'parked' ELSE 'pending' END WHERE id = ?",
                error, at(nextAttemptAt), at(nextAttemptAt), stop.id());
    }

    /** Claims up to {@code limit} pending stops due at {@code now} until {@code claimUntil}. */
    public List<StopRecord> claimDue(Instant now, Instant claimUntil, int limit) {
        return jdbc.query("UPDATE cloud_stop SET next_attempt_at = ? WHERE id IN (SELECT id FROM cloud_stop"
                + " WHERE result = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"
                + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, RECORD, at(claimUntil), at(now), limit);
    }

    /** The stops with {@code result}, newest first; {@code offset} a long: a page's number times its size. */
    public List<StopRecord> list(Result result, long offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cloud_stop WHERE result = ? ORDER BY id DESC OFFSET ? LIMIT ?",
                RECORD, name(result), offset, limit);
    }

    public long count(Result result) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM cloud_stop WHERE result = ?", Long.class, name(result));
        return count == null ? 0 : count;
    }

    /**
     * Deletes up to {@code limit} of the records whose stop finished before {@code cutoff} (whatever it found, in the
     * results older versions wrote too); the number deleted. Read through the index of finished stops by time (V7).
     */
    public int forgetFinishedBefore(Instant cutoff, int limit) {
        return jdbc.update("DELETE FROM cloud_stop WHERE id IN (SELECT id FROM cloud_stop"
                + " WHERE result NOT IN ('pending', 'parked') AND stopped_at < ? ORDER BY stopped_at LIMIT ?)",
                at(cutoff), limit);
    }

    /** A parked stop goes back to pending, due at {@code now}, with a fresh count of attempts. */
    public Optional<StopRecord> retry(long id, Instant now) {
        return jdbc.query("UPDATE cloud_stop SET result = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?"
                + " AND result = 'parked' RETURNING " + COLUMNS, RECORD, at(now), id).stream().findFirst();
    }

    private static String name(Result result) {
        return result.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
