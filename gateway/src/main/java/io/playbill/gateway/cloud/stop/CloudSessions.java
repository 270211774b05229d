package io.playbill.gateway.cloud.stop;

import io.playbill.gateway.cloud.gs.GsPool;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The latest game each user started through the gateway ({@code cloud_session}). The stopper compares it with the
 * ledger's end time so that the end of an earlier session never stops a newer game.
 */
public final class CloudSessions {

    private final JdbcTemplate jdbc;

    public CloudSessions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void started(String userId, GsPool pool, Instant at) {
        jdbc.update("INSERT INTO cloud_session (user_id, game_id, game_region, started_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (user_id) DO UPDATE SET game_id = excluded.game_id, "
                        + "game_region = excluded.game_region, started_at = excluded.started_at",
                userId, pool.gameId(), pool.gameRegion(), at(at));
    }

    /** The pool of the user's current game, if they started one that was not stopped since. */
    public Optional<GsPool> current(String userId) {
        return jdbc.query("SELECT game_id, game_region FROM cloud_session WHERE user_id = ?",
                (rs, row) -> new GsPool(rs.getString("game_id"), rs.getString("game_region")), userId)
                .stream().findFirst();
    }

    Optional<Instant> startedAt(String userId) {
        return jdbc.query("SELECT started_at FROM cloud_session WHERE user_id = ?",
                (rs, row) -> rs.getObject("started_at", OffsetDateTime.class).toInstant(), userId).stream().findFirst();
    }

    /** The user's game was stopped. */
    public void stopped(String userId) {
        jdbc.update("DELETE FROM cloud_session WHERE user_id = ?", userId);
    }

    /** The game that was current at {@code endedAt} was stopped; a game started later stays. */
    void stoppedIfStartedBy(String userId, Instant endedAt) {
        jdbc.update("DELETE FROM cloud_session WHERE user_id = ? AND started_at <= ?", userId, at(endedAt));
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
